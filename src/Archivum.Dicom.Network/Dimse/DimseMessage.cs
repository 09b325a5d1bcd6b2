using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>A DIMSE message's command set (PS3.7 §6.3, §9.3, §10.3) as a typed object; the data set travels beside it.</summary>
public abstract class DimseMessage
{
    private protected DimseMessage() { }

    /// <summary>The Command Field (0000,0100).</summary>
    public abstract DimseCommandField CommandField { get; }

    /// <summary>True when a data set follows the command (Command Data Set Type (0000,0800) other than 0101H).</summary>
    public bool HasDataset { get; init; }

    /// <summary>The SOP class the message names: Affected SOP Class UID, or Requested SOP Class UID for N-GET/SET/ACTION/DELETE requests.</summary>
    public abstract string? SopClassUid { get; }

    internal void WriteTo(CommandSetWriter writer)
    {
        writer.UInt16(DicomTags.CommandField, (ushort)CommandField);
        // PS3.7 E.1-1: 0101H means no data set; any other value means one. 0001H as pynetdicom writes it.
        writer.UInt16(DicomTags.CommandDataSetType, HasDataset ? (ushort)0x0001 : (ushort)0x0101);
        WriteFields(writer);
    }

    private protected abstract void WriteFields(CommandSetWriter writer);

    /// <inheritdoc />
    public override string ToString() => CommandField.ToString();
}
