using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-ECHO-RQ (PS3.7 §9.3.5.1): verifies the association.</summary>
public sealed class CEchoRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public CEchoRequest() { }

    [SetsRequiredMembers]
    internal CEchoRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.OptionalUid(DicomTags.AffectedSOPClassUID) ?? Archivum.Dicom.Dictionary.DicomUids.Verification;
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CEchoRequest;

    /// <summary>Affected SOP Class UID (0000,0002): the Verification SOP Class unless told otherwise.</summary>
    public string AffectedSopClassUid { get; init; } = Archivum.Dicom.Dictionary.DicomUids.Verification;

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
    }
}
