namespace Archivum.Archive;

/// <summary>
/// A remote application entity the archive knows (a modality, a workstation, another PACS): where
/// it listens and what it may do. A device registered with host and port alone may do everything.
/// </summary>
public sealed record ArchiveDevice(string AETitle, string Host, int Port)
{
    public string? Description { get; init; }

    /// <summary>May send instances (C-STORE).</summary>
    public bool MayStore { get; init; } = true;

    /// <summary>May query (C-FIND).</summary>
    public bool MayFind { get; init; } = true;

    /// <summary>May retrieve (C-MOVE, C-GET) as the requestor.</summary>
    public bool MayRetrieve { get; init; } = true;

    /// <summary>May be the destination of a C-MOVE.</summary>
    public bool MayReceive { get; init; } = true;

    /// <summary>Associations under this AE title are accepted only from <see cref="Host"/> (its addresses, when it is a name): an AE title alone is easily spoofed.</summary>
    public bool RestrictToHost { get; init; }

    /// <summary>Why this device's settings cannot be used, or null.</summary>
    public string? Validate()
    {
        if (Dicom.Model.DicomAETitle.Validate(AETitle) is { } reason)
        {
            return reason;
        }
        if (string.IsNullOrWhiteSpace(Host) || Host.Length > 255 || Host.Any(char.IsWhiteSpace))
        {
            return $"host '{Host}' is not a host name or address";
        }
        if (Port is < 1 or > 65535)
        {
            return $"port {Port} is not a TCP port (1 to 65535)";
        }
        return Description is { Length: > 1024 } ? "the description is longer than 1024 characters" : null;
    }
}
