using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-GET-RQ (PS3.7 §9.3.3.1): the identifier of what to retrieve follows as the data set.</summary>
public sealed class CGetRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public CGetRequest()
    {
        HasDataset = true;
    }

    [SetsRequiredMembers]
    internal CGetRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.RequiredUid(DicomTags.AffectedSOPClassUID);
        Priority = (DimsePriority)set.RequiredUInt16(DicomTags.Priority);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CGetRequest;

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public required string AffectedSopClassUid { get; init; }

    /// <summary>Priority (0000,0700).</summary>
    public DimsePriority Priority { get; init; } = DimsePriority.Medium;

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.UInt16(DicomTags.Priority, (ushort)Priority);
    }
}
