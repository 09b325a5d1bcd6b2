namespace Archivum.Dicom.Network.Services;

/// <summary>
/// The handlers an SCP serves requests with; a missing one means its commands are answered
/// 0x0211 (unrecognized operation), except C-ECHO which is answered success unless
/// <see cref="Verification"/> says otherwise.
/// </summary>
public sealed class DimseServiceHandlers
{
    public IVerificationHandler? Verification { get; init; }

    public IStoreHandler? Store { get; init; }

    public IFindHandler? Find { get; init; }

    /// <summary>Serves C-GET and C-MOVE.</summary>
    public IRetrieveHandler? Retrieve { get; init; }

    /// <summary>Opens the associations of C-MOVE sub-operations; without it C-MOVE is answered 0xA801.</summary>
    public IMoveDestinationConnector? MoveDestinations { get; init; }

    public INActionHandler? NAction { get; init; }

    public INEventReportHandler? NEventReport { get; init; }

    /// <summary>Longest identifier or action/event information accepted, in bytes (they are read into memory).</summary>
    public long MaxSmallDatasetLength { get; init; } = 4 * 1024 * 1024;
}
