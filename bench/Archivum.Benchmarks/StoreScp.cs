using System.Net;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Benchmarks;

/// <summary>
/// The receiving side of bench/store-vs-storescp.sh: Archivum's SCP accepting every storage SOP
/// class and writing each instance to a file in a folder, as DCMTK's storescp does, until killed.
/// </summary>
internal static class StoreScp
{
    public static async Task RunAsync(int port, string folder)
    {
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage();
        policy.RequireCalledAETitleMatch = false;
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = new FolderStoreHandler(folder) });
        await using var server = new DicomServer(new DicomServerOptions { Address = IPAddress.Loopback, Port = port }, policy, dispatcher.RunAsync);
        server.Start();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped by a signal: the server is disposed on the way out
        }
    }
}
