namespace Archivum.Dicom.Dictionary;

/// <summary>A UID registered in PS3.6 Annex A: transfer syntax, SOP class, well-known instance, coding scheme, ...</summary>
public sealed class DicomUidInfo
{
    internal DicomUidInfo(string uid, string name, string keyword, DicomUidType type, bool isRetired)
    {
        Uid = uid;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
    }

    /// <summary>The UID, e.g. "1.2.840.10008.5.1.4.1.1.2".</summary>
    public string Uid { get; }

    /// <summary>The name of PS3.6, e.g. "CT Image Storage".</summary>
    public string Name { get; }

    /// <summary>The keyword of PS3.6, e.g. "CTImageStorage"; empty for the few UIDs the standard gives none.</summary>
    public string Keyword { get; }

    /// <summary>What the UID identifies: transfer syntax, SOP class, well-known instance, ...</summary>
    public DicomUidType Type { get; }

    /// <summary>True when the standard has retired the UID.</summary>
    public bool IsRetired { get; }

    public override string ToString() => Name;
}
