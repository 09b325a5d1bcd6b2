using System.Globalization;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>SCP/SCU role selection as DCMTK's getscu proposes it (storage SCP role for C-GET).</summary>
public sealed class DcmtkRoleTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetscuIsGrantedTheStorageScpRoleOnlyWhenThePolicyAllows(bool allow)
    {
        var policy = TestServer.DefaultPolicy().AcceptQueryRetrieve();
        if (allow)
        {
            policy.AllowRequestorAsStorageScp();
        }
        var session = async (Archivum.Dicom.Network.UpperLayer.IDimseChannel channel, CancellationToken token) =>
        {
            // Records the association and ends it: the C-GET itself is the DIMSE layer's.
            _ = await Task.FromResult(channel.Association);
        };
        TestServer? server = null;
        server = TestServer.Start(policy, session: (channel, token) =>
        {
            server!.Associations.Enqueue(channel.Association);
            return session(channel, token);
        });
        await using (server)
        {
            var result = await Dcmtk.RunAsync("getscu", ["-d", "-S", "-aec", TestServer.AETitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3",
                "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]);
            var association = Assert.Single(server.Associations);
            var ct = association.PresentationContexts.Where(c => c.AbstractSyntax == Dimse.CTImageStorage).ToList();
            // getscu asks for the SCP role alone on its storage contexts (the role item's SCU field 0).
            var proposed = CtContextLines(result.Output, "Proposed");
            Assert.Contains("Proposed SCP/SCU Role: SCP", proposed, StringComparison.Ordinal);
            var accepted = CtContextLines(result.Output, allow ? "Accepted" : "User Rejection");
            if (allow)
            {
                var context = Assert.Single(ct);
                Assert.True(context.RequestorIsScp);
                Assert.False(context.RequestorIsScu);
                Assert.Contains("Accepted SCP/SCU Role: SCP", accepted, StringComparison.Ordinal);
            }
            else
            {
                // Nothing left to do on a context whose only role is refused: rejected, and getscu reads the role as "None".
                Assert.Empty(ct);
                Assert.Contains("Accepted SCP/SCU Role: None", accepted, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The lines getscu -d prints for its CT Image Storage context, in the block whose header holds <paramref name="state"/>.</summary>
    private static string CtContextLines(string output, string state)
    {
        var lines = output.Split('\n');
        for (int i = 0; i + 3 < lines.Length; i++)
        {
            if (lines[i].Contains("Context ID:", StringComparison.Ordinal) && lines[i].Contains($"({state})", StringComparison.Ordinal)
                && lines[i + 1].Contains("=CTImageStorage", StringComparison.Ordinal))
            {
                return string.Join('\n', lines[i..(i + 4)]);
            }
        }
        throw new Xunit.Sdk.XunitException($"no CT context in state {state} in getscu's output:\n{output}");
    }
}
