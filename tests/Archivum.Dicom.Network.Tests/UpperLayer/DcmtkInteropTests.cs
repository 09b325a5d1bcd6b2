using System.Globalization;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>DCMTK's SCUs against our DicomServer, and our DicomClient against DCMTK's storescp.</summary>
public sealed class DcmtkInteropTests
{
    internal const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private static readonly string CtSmall = Path.Combine(PydicomFiles, "CT_small.dcm");

    [Fact(Timeout = 60_000)]
    public async Task EchoscuGetsAnEchoFromOurServer()
    {
        await using var server = TestServer.Start();
        var result = await Dcmtk.RunAsync("echoscu", ["-v", "-aet", "MODALITY", "-aec", TestServer.AETitle, "127.0.0.1", Port(server)]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Received Echo Response (Success)", result.Output, StringComparison.Ordinal);
        var association = Assert.Single(server.Associations);
        Assert.Equal("MODALITY", association.CallingAETitle);
        Assert.Equal(TestServer.AETitle, association.CalledAETitle);
        Assert.Equal(16384u, association.PeerMaxPduLength); // echoscu's default receive size
        Assert.StartsWith("1.2.276.0.7230010.3", association.PeerImplementationClassUid, StringComparison.Ordinal); // OFFIS' root
        Assert.Empty(server.SessionErrors);
    }

    [Fact(Timeout = 60_000)]
    public async Task EchoscuToAnUnknownCalledAETitleIsRejectedWithThatReason()
    {
        await using var server = TestServer.Start();
        var result = await Dcmtk.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "SOMEONE_ELSE", "127.0.0.1", Port(server)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Associations);
    }

    [Fact(Timeout = 60_000)]
    public async Task EchoscuFromAnUnlistedCallingAETitleIsRejectedWithThatReason()
    {
        var policy = TestServer.DefaultPolicy();
        policy.AllowedCallingAETitles = new HashSet<string> { "KNOWN" };
        await using var server = TestServer.Start(policy);
        var result = await Dcmtk.RunAsync("echoscu", ["-aet", "STRANGER", "-aec", TestServer.AETitle, "127.0.0.1", Port(server)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 60_000)]
    public async Task NoCommonTransferSyntaxLeavesEchoscuWithoutAContext()
    {
        var policy = new AssociationPolicy().Accept(AssociationPolicy.VerificationSopClass, DicomTransferSyntax.ExplicitVRBigEndian.Uid);
        policy.AETitles.Add(TestServer.AETitle);
        await using var server = TestServer.Start(policy);
        // echoscu proposes implicit VR little endian only (one transfer syntax by default).
        var result = await Dcmtk.RunAsync("echoscu", ["-d", "-aec", TestServer.AETitle, "127.0.0.1", Port(server)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Transfer Syntaxes Not Supported", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("4096")]
    [InlineData("131072")]
    public async Task StorescuSendsAFileThatArrivesByteForByte(string maxPdu)
    {
        var policy = TestServer.DefaultPolicy();
        policy.MaxPduLength = 8192; // storescu must fragment to our maximum; a larger PDU would abort
        await using var server = TestServer.Start(policy);
        var result = await Dcmtk.RunAsync("storescu", ["-v", "--max-pdu", maxPdu, "-aec", TestServer.AETitle, "127.0.0.1", Port(server), CtSmall]);
        Assert.True(result.ExitCode == 0, result.Output);
        var file = DicomFile.Open(CtSmall);
        string sopInstance = file.Dataset.GetString(Archivum.Dicom.Dictionary.DicomTags.SOPInstanceUID)!;
        var received = Assert.Single(server.Stored);
        Assert.Equal(sopInstance, received.Key);
        var context = Assert.Single(server.Associations).FindContext(server.StoredOnContext[sopInstance])!;
        Assert.Equal(Dimse.CTImageStorage, context.AbstractSyntax);
        // The bytes storescu sent are the file's data set in the negotiated transfer syntax.
        Assert.Equal(TestServer.DatasetBytes(CtSmall, context.TransferSyntax, withoutTrailingPadding: true), received.Value);
        Assert.Empty(server.SessionErrors);
    }

    [Fact(Timeout = 60_000)]
    public async Task OurClientEchoesAndStoresToStorescp()
    {
        string output = Directory.CreateTempSubdirectory("archivum-storescp-").FullName;
        int port = Dcmtk.FreePort();
        using var storescp = Dcmtk.Start("storescp", ["-v", "--max-pdu", "4096", "-od", output, "-aet", "STORESCP", port.ToString(CultureInfo.InvariantCulture)], out var log);
        try
        {
            await Dcmtk.WaitForListenerAsync(port, storescp, log);
            var request = new AssociationRequestOptions
            {
                CallingAETitle = "ARCHIVUM",
                CalledAETitle = "STORESCP",
                PresentationContexts =
                [
                    new(Dimse.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]),
                    new(Dimse.CTImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]),
                ],
            };
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", port, request);
            Assert.Equal(4096u, association.Association.PeerMaxPduLength);
            Assert.Equal(2, association.Association.PresentationContexts.Count);

            await association.SendAsync(1, Dimse.EchoRequest(7), null, CancellationToken.None);
            var echo = await association.ReceiveCommandAsync(CancellationToken.None);
            Assert.NotNull(echo);
            var echoSet = Dimse.Parse(echo.Value.Bytes);
            Assert.Equal(0x8030, echoSet.GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.CommandField));
            Assert.Equal(7, echoSet.GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.MessageIDBeingRespondedTo));
            Assert.Equal(0, echoSet.GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.Status));

            // A C-STORE whose data set spans many 4 KiB PDUs: storescp refuses any PDU over its maximum.
            var file = DicomFile.Open(CtSmall);
            string sopInstance = file.Dataset.GetString(Archivum.Dicom.Dictionary.DicomTags.SOPInstanceUID)!;
            var dataset = TestServer.DatasetBytes(CtSmall, DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
            await association.SendAsync(3, Dimse.StoreRequest(8, Dimse.CTImageStorage, sopInstance), new MemoryStream(dataset), CancellationToken.None);
            var store = await association.ReceiveCommandAsync(CancellationToken.None);
            Assert.NotNull(store);
            Assert.Equal(0, Dimse.Parse(store.Value.Bytes).GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.Status));
            await association.ReleaseAsync();

            var stored = Directory.GetFiles(output);
            Assert.Single(stored);
            var back = DicomFile.Open(stored[0]);
            Assert.Equal(sopInstance, back.Dataset.GetString(Archivum.Dicom.Dictionary.DicomTags.SOPInstanceUID));
            Assert.Equal(TestServer.DatasetBytes(CtSmall, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, withoutTrailingPadding: true),
                TestServer.DatasetBytes(stored[0], DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync();
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task OverTheLimitEchoscuIsRejectedTransientlyForLocalLimit()
    {
        await using var server = TestServer.Start(options: new DicomServerOptions { MaxAssociations = 1 });
        var request = new AssociationRequestOptions
        {
            CallingAETitle = "HOLDER",
            CalledAETitle = TestServer.AETitle,
            PresentationContexts = [new(Dimse.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
        };
        await using (var holder = await DicomClient.ConnectAsync("127.0.0.1", server.Port, request))
        {
            var result = await Dcmtk.RunAsync("echoscu", ["-aec", TestServer.AETitle, "127.0.0.1", Port(server)]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Local Limit Exceeded", result.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Transient", result.Output, StringComparison.OrdinalIgnoreCase);
            await holder.ReleaseAsync();
        }
        // The slot is free again once the first association is gone (bounded wait: the server counts it down after its close).
        for (int i = 0; i < 100 && server.Server.ActiveAssociations > 0; i++)
        {
            await Task.Delay(50);
        }
        var again = await Dcmtk.RunAsync("echoscu", ["-aec", TestServer.AETitle, "127.0.0.1", Port(server)]);
        Assert.True(again.ExitCode == 0, again.Output);
    }

    private static string Port(TestServer server) => server.Port.ToString(CultureInfo.InvariantCulture);
}
