namespace Archivum.Tests.Cli.Network;

/// <summary>The DCMTK peers the network command tests rely on work as the tests assume.</summary>
public sealed class DcmtkPeerSelfTests
{
    [Fact]
    public void Dcmqrscp_answers_findscu_with_the_indexed_studies()
    {
        CliRunner.RequireDcmtk();
        using var archive = new DcmqrscpArchive([Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(CliRunner.Corpus, "MR_small.dcm")]);
        var find = CliRunner.Run("findscu", "-S", "-aec", DcmqrscpArchive.AETitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName", "127.0.0.1", archive.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(find.ExitCode == 0, find.Stderr + archive.Log);
        Assert.Contains("CompressedSamples^CT1", find.Stderr + find.Stdout, StringComparison.Ordinal);
        Assert.Contains("CompressedSamples^MR1", find.Stderr + find.Stdout, StringComparison.Ordinal);
    }
}
