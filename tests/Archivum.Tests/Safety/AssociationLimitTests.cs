using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Safety;

/// <summary>
/// One peer cannot take every association of a running archive: past its calling AE title's share
/// (and its address's), DCMTK's echoscu hears "rejected, transient, local limit exceeded"
/// (PS3.8 Table 9-21), while another AE still gets in.
/// </summary>
public sealed class AssociationLimitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_calling_AE_past_its_share_is_rejected_for_a_local_limit_and_others_still_get_in()
    {
        CliRunner.RequireDcmtk();
        string config = Path.Combine(_folder, "limits.json");
        File.WriteAllText(config, """{ "Archivum": { "MaxAssociationsPerCallingAETitle": 3, "MaxAssociationsPerAddress": 5 } }""");
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"), "--config", config);
        var held = new List<DicomAssociation>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                held.Add(await Connect(serve, "GREEDY"));
            }
            string refused = Echo(serve, "GREEDY");
            Assert.Contains("Local Limit Exceeded", refused, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Transient", refused, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Association Accepted", Echo(serve, "MODALITY"), StringComparison.Ordinal);

            // The address's share: two more AE titles from the same address fill it, a sixth association is refused whatever its AE.
            held.Add(await ConnectOnceFree(serve, "OTHER1"));
            held.Add(await ConnectOnceFree(serve, "OTHER2"));
            Assert.Contains("Local Limit Exceeded", Echo(serve, "MODALITY"), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var association in held)
            {
                await association.ReleaseAsync();
                await association.DisposeAsync();
            }
        }
        // Released: the shares are free again (bounded wait for the server to count them out).
        string again = "";
        for (int i = 0; i < 50 && !again.Contains("Association Accepted", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            again = Echo(serve, "GREEDY");
        }
        Assert.Contains("Association Accepted", again, StringComparison.Ordinal);
    }

    private static Task<DicomAssociation> Connect(ServeProcess serve, string callingAETitle) =>
        DicomClient.ConnectAsync("127.0.0.1", serve.DicomPort, new AssociationRequestOptions
        {
            CallingAETitle = callingAETitle,
            CalledAETitle = "ARCHIVUM",
            PresentationContexts = [new(DicomUids.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
        });

    /// <summary>Connects once the share is free: the server counts an ended association out a moment after its peer has gone (bounded wait).</summary>
    private static async Task<DicomAssociation> ConnectOnceFree(ServeProcess serve, string callingAETitle)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await Connect(serve, callingAETitle);
            }
            catch (DicomAssociationRejectedException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string Echo(ServeProcess serve, string callingAETitle)
    {
        var echo = CliRunner.RunWith(new Dictionary<string, string> { ["TCP_NODELAY"] = "1" }, "echoscu", "-v", "-aet", callingAETitle, "-aec", "ARCHIVUM", "127.0.0.1",
            serve.DicomPort.ToString(CultureInfo.InvariantCulture));
        return echo.Stdout + echo.Stderr;
    }
}
