namespace Archivum.Dicom.Network.Services;

/// <summary>
/// The handlers an SCP serves requests with; a missing one means its commands are answered
/// 0x0211 (unrecognized operation), except C-ECHO which is answered success unless
/// <see cref="Verification"/> says otherwise.
/// </summary>
public sealed class DimseServiceHandlers
{
    /// <summary>Answers C-ECHO; without it C-ECHO is answered success.</summary>
    public IVerificationHandler? Verification { get; init; }

    /// <summary>Serves C-STORE.</summary>
    public IStoreHandler? Store { get; init; }

    /// <summary>Serves C-FIND.</summary>
    public IFindHandler? Find { get; init; }

    /// <summary>Serves C-GET and C-MOVE.</summary>
    public IRetrieveHandler? Retrieve { get; init; }

    /// <summary>Opens the associations of C-MOVE sub-operations; without it C-MOVE is answered 0xA801.</summary>
    public IMoveDestinationConnector? MoveDestinations { get; init; }

    /// <summary>Serves N-ACTION (e.g. storage commitment requests).</summary>
    public INActionHandler? NAction { get; init; }

    /// <summary>Serves N-EVENT-REPORT (e.g. storage commitment results).</summary>
    public INEventReportHandler? NEventReport { get; init; }

    /// <summary>Converts the pixels of C-GET and C-MOVE sub-operations the peer accepted only in other syntaxes; without it only uncompressed instances are re-encoded.</summary>
    public IPixelTranscoder? Transcoder { get; init; }

    /// <summary>Longest identifier or action/event information accepted, in bytes (they are read into memory).</summary>
    public long MaxSmallDatasetLength { get; init; } = 4 * 1024 * 1024;
}
