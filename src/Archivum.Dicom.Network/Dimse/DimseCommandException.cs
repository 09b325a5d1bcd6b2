using System.Globalization;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// A command set that cannot be used: malformed, missing a required field, with a field of the
/// wrong length, or with an unknown Command Field. Names the field, and says either which
/// failure status the receiver should answer with (<see cref="ResponseStatus"/>, when the message
/// is a request whose Message ID and Command Data Set Type could be read) or that the
/// association must be aborted (<see cref="MustAbort"/>).
/// </summary>
public sealed class DimseCommandException : DicomNetworkException
{
    public DimseCommandException(string message, DicomTag? field, DimseStatus? responseStatus, ushort? commandField, ushort? messageId, bool hasDataset, string? sopClassUid)
        : base(message)
    {
        Field = field;
        ResponseStatus = responseStatus;
        CommandField = commandField;
        MessageId = messageId;
        HasDataset = hasDataset;
        SopClassUid = sopClassUid;
    }

    /// <summary>The offending command element, when one is to blame.</summary>
    public DicomTag? Field { get; }

    /// <summary>The failure status to answer the request with; null when no response can be addressed.</summary>
    public DimseStatus? ResponseStatus { get; }

    /// <summary>True when the association must be aborted: no response can be addressed, or the message boundaries are unknown.</summary>
    public bool MustAbort => ResponseStatus is null;

    /// <summary>The Command Field as read (possibly one PS3.7 does not define), when it could be read.</summary>
    public ushort? CommandField { get; }

    /// <summary>The request's Message ID, when it could be read.</summary>
    public ushort? MessageId { get; }

    /// <summary>Whether a data set follows the command (it must be read or skipped before the next command).</summary>
    public bool HasDataset { get; }

    /// <summary>The Affected or Requested SOP Class UID, when it could be read (echoed in the failure response).</summary>
    public string? SopClassUid { get; }

    /// <summary>A readable name of a command element: its dictionary name and tag.</summary>
    internal static string Describe(DicomTag tag) =>
        Archivum.Dicom.Dictionary.DicomDictionary.TryGetEntry(tag, out var entry)
            ? entry.Name + " " + tag.ToString()
            : tag.ToString();

    internal static string Hex(ushort value) => "0x" + value.ToString("X4", CultureInfo.InvariantCulture);
}
