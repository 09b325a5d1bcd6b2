using System.Runtime.CompilerServices;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>The fuzz harness on its seeds, on every prefix of one of them, and on the inputs the fuzzer once broke us with (FuzzRegressions/).</summary>
public sealed class AcceptorFuzzRegressionTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("echo-release", "AssociateAccept DataTransfer ReleaseResponse")]
    [InlineData("store-fragmented", "AssociateAccept DataTransfer DataTransfer ReleaseResponse")]
    [InlineData("store-two-messages", "AssociateAccept DataTransfer DataTransfer ReleaseResponse")]
    [InlineData("rejected-called-ae", "AssociateReject")]
    [InlineData("abort", "AssociateAccept")]
    public async Task SeedsGetTheAnswersOfAWorkingAcceptor(string name, string answers)
    {
        var seed = AcceptorFuzzSeeds.All().Single(s => s.Name == name).Bytes;
        var types = await AcceptorFuzzHarness.RunAsync(seed, TimeSpan.FromSeconds(20));
        Assert.Equal(answers, string.Join(' ', types));
    }

    [Fact(Timeout = 120_000)]
    public async Task EveryTruncationOfAStoreEndsCleanly()
    {
        var seed = AcceptorFuzzSeeds.All().Single(s => s.Name == "store-fragmented").Bytes;
        for (int cut = 0; cut < seed.Length; cut += 37)
        {
            await AcceptorFuzzHarness.RunAsync(seed[..cut], TimeSpan.FromSeconds(20));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task RandomBytesAfterAnAssociationEndCleanly()
    {
        var accepted = AcceptorFuzzSeeds.All().Single(s => s.Name == "echo-release").Bytes;
        int requestLength = 6 + (accepted[2] << 24 | accepted[3] << 16 | accepted[4] << 8 | accepted[5]);
        var random = new Random(20261128);
        for (int i = 0; i < 150; i++)
        {
            var tail = new byte[random.Next(0, 400)];
            random.NextBytes(tail);
            if (tail.Length > 0 && random.Next(2) == 0)
            {
                tail[0] = (byte)random.Next(1, 8); // a known PDU type, so the length and body get parsed
            }
            var types = await AcceptorFuzzHarness.RunAsync([.. accepted.AsSpan(0, requestLength), .. tail], TimeSpan.FromSeconds(20));
            Assert.Equal(PduType.AssociateAccept, types[0]);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task SavedFuzzFindingsStayFixed()
    {
        var findings = Directory.GetFiles(Path.Combine(SourceFolder(), "FuzzRegressions")).Where(p => !p.EndsWith(".md", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(findings);
        foreach (var path in findings)
        {
            var input = await File.ReadAllBytesAsync(path);
            // Some findings are races (a send meeting an abort): each run is milliseconds, so give them many chances.
            for (int i = 0; i < 100; i++)
            {
                await AcceptorFuzzHarness.RunAsync(input, TimeSpan.FromSeconds(20));
            }
        }
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
