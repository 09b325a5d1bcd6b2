namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>Timeouts and limits of the upper layer, for both sides of an association.</summary>
public sealed record DicomAssociationOptions
{
    /// <summary>ARTIM (PS3.8 §9.1.5): how long to wait for the A-ASSOCIATE-RQ after a connection opens, for the answer to ours, and for the release answer. Default 30 s.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An established association with no PDU received (and none sent) for this long is aborted. Default 300 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Once its first byte has come, a PDU must be complete within this time (a peer sending a byte a minute is aborted); also bounds each write. Default 60 s.</summary>
    public TimeSpan PduTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the client waits for the TCP (and TLS) connection. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest A-ASSOCIATE-RQ/-AC accepted; real ones are a few kilobytes. Default 1 MiB.</summary>
    public uint MaxAssociatePduLength { get; init; } = 1024 * 1024;

    /// <summary>The largest command set accepted once its fragments are joined. Default 1 MiB.</summary>
    public int MaxCommandLength { get; init; } = 1024 * 1024;

    /// <summary>The largest P-DATA-TF we send, whatever the peer accepts (its maximum, or 256 KiB when it announced no limit, caps it further). Default 1 MiB.</summary>
    public uint MaxSendPduLength { get; init; } = 1024 * 1024;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> on a nonsensical one.</summary>
    public void Validate()
    {
        if (ArtimTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero || PduTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive");
        }
        if (MaxAssociatePduLength < 68 || MaxCommandLength < 1 || MaxSendPduLength < PduWriterOverhead + 2)
        {
            throw new ArgumentException("limits too small to carry a PDU");
        }
    }

    private const uint PduWriterOverhead = 12;
}
