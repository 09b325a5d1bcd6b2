namespace Archivum.Dicom.Network.Services;

/// <summary>Choices of a <see cref="DimseClient"/>.</summary>
public sealed class DimseClientOptions
{
    /// <summary>The defaults.</summary>
    public static DimseClientOptions Default { get; } = new();

    /// <summary>
    /// After a C-CANCEL-RQ, how long to wait for the final response before aborting the association
    /// (the peer may still send pending responses meanwhile).
    /// </summary>
    public TimeSpan CancelGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Converts the pixels of an instance the peer accepted only in other syntaxes; without it only uncompressed instances are re-encoded.</summary>
    public IPixelTranscoder? Transcoder { get; init; }

    /// <summary>Longest C-FIND match or other small data set accepted from the peer, in bytes.</summary>
    public long MaxSmallDatasetLength { get; init; } = 4 * 1024 * 1024;
}
