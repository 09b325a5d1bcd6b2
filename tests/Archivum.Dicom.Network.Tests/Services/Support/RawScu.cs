using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>Sends hand-made command sets on a loopback requestor and reads the responses, to drive an SCP where the client would refuse to.</summary>
internal static class RawScu
{
    public static async Task SendAsync(LoopbackChannel channel, byte contextId, byte[] command, byte[]? dataset, CancellationToken cancellationToken) =>
        await channel.SendAsync(contextId, command, dataset is null ? null : new MemoryStream(dataset), cancellationToken);

    /// <summary>The next response, its data set (if any) read to the end.</summary>
    public static async Task<(DimseResponse Response, byte[]? Dataset)> ReceiveAsync(LoopbackChannel channel, CancellationToken cancellationToken)
    {
        var incoming = await channel.ReceiveCommandAsync(cancellationToken);
        Assert.NotNull(incoming);
        var response = Assert.IsAssignableFrom<DimseResponse>(DimseCommandCodec.Decode(incoming.Value.Bytes));
        if (!response.HasDataset)
        {
            return (response, null);
        }
        await using var stream = channel.OpenDataset();
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return (response, copy.ToArray());
    }
}
