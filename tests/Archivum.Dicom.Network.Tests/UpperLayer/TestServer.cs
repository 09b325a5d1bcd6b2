using System.Collections.Concurrent;
using System.Net;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>A DicomServer on an ephemeral loopback port with a tiny session that answers C-ECHO and C-STORE.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string AETitle = "ARCHIVUM";

    private TestServer(DicomServer server, AssociationPolicy policy)
    {
        Server = server;
        Policy = policy;
    }

    public DicomServer Server { get; }

    public AssociationPolicy Policy { get; }

    public int Port => Server.Port;

    /// <summary>Data sets received by C-STORE, by SOP instance UID.</summary>
    public ConcurrentDictionary<string, byte[]> Stored { get; } = new();

    /// <summary>The presentation context each C-STORE came on, by SOP instance UID.</summary>
    public ConcurrentDictionary<string, byte> StoredOnContext { get; } = new();

    /// <summary>What each session saw of its association.</summary>
    public ConcurrentQueue<AssociationInfo> Associations { get; } = new();

    /// <summary>Faults the sessions met.</summary>
    public ConcurrentQueue<Exception> SessionErrors { get; } = new();

    public static AssociationPolicy DefaultPolicy()
    {
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage();
        policy.AETitles.Add(AETitle);
        return policy;
    }

    public static TestServer Start(AssociationPolicy? policy = null, DicomServerOptions? options = null, Func<IDimseChannel, CancellationToken, Task>? session = null)
    {
        policy ??= DefaultPolicy();
        TestServer? self = null;
        var server = new DicomServer(
            (options ?? new DicomServerOptions()) with { Address = IPAddress.Loopback, Port = 0 },
            policy,
            session ?? ((channel, token) => self!.RunAsync(channel, token)));
        self = new TestServer(server, policy);
        server.Start();
        return self;
    }

    public async Task RunAsync(IDimseChannel channel, CancellationToken cancellationToken)
    {
        Associations.Enqueue(channel.Association);
        try
        {
            while (await channel.ReceiveCommandAsync(cancellationToken) is { } command)
            {
                var set = Dimse.Parse(command.Bytes);
                ushort field = set.GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.CommandField);
                ushort messageId = set.GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.MessageID);
                switch (field)
                {
                    case 0x0030:
                        await channel.SendAsync(command.PresentationContextId, Dimse.EchoResponse(messageId), null, cancellationToken);
                        break;
                    case 0x0001:
                        {
                            string sopClass = set.GetString(Archivum.Dicom.Dictionary.DicomTags.AffectedSOPClassUID)!;
                            string sopInstance = set.GetString(Archivum.Dicom.Dictionary.DicomTags.AffectedSOPInstanceUID)!;
                            using var data = new MemoryStream();
                            await using (var stream = channel.OpenDataset())
                            {
                                await stream.CopyToAsync(data, cancellationToken);
                            }
                            Stored[sopInstance] = data.ToArray();
                            StoredOnContext[sopInstance] = command.PresentationContextId;
                            await channel.SendAsync(command.PresentationContextId, Dimse.StoreResponse(messageId, sopClass, sopInstance), null, cancellationToken);
                            break;
                        }
                    default:
                        throw new InvalidOperationException($"command 0x{field:X4} not handled by the test session");
                }
            }
        }
        catch (Exception e)
        {
            SessionErrors.Enqueue(e);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>The data set part of a Part 10 file, re-encoded in the given transfer syntax by Archivum's writer.</summary>
    public static byte[] DatasetBytes(string path, string transferSyntax, bool withoutTrailingPadding = false)
    {
        var file = DicomFile.Open(path);
        if (withoutTrailingPadding)
        {
            file.Dataset.Remove(new DicomTag(0xFFFC, 0xFFFC)); // DCMTK drops Data Set Trailing Padding when it writes
        }
        using var stream = new MemoryStream();
        Archivum.Dicom.IO.DicomFileWriter.WriteDataset(stream, file.Dataset, DicomTransferSyntax.Get(transferSyntax));
        return stream.ToArray();
    }
}
