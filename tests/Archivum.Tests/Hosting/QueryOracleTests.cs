using System.Globalization;
using System.Text.RegularExpressions;
using Archivum.Tests.Cli;
using Archivum.Tests.Cli.Network;

namespace Archivum.Tests.Hosting;

/// <summary>
/// C-FIND matching compared with DCMTK's dcmqrscp: the same files in both archives, the same
/// queries from findscu, the same entities must come back. Person names are matched case-sensitively
/// here, as dcmqrscp does.
/// </summary>
public sealed partial class QueryOracleTests(QueryOracleTests.Archives archives) : IClassFixture<QueryOracleTests.Archives>
{
    /// <summary>Both archives with the same files, shared by the tests of the class.</summary>
    public sealed class Archives : IAsyncLifetime
    {
        private static readonly string[] Files =
        [
            "CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "JPEG2000.dcm", "liver_1frame.dcm", "ExplVR_BigEnd.dcm",
            "693_J2KI.dcm", "test-SR.dcm", "waveform_ecg.dcm", "reportsi.dcm", "image_dfl.dcm", "SC_rgb_rle.dcm",
        ];

        private readonly string _dir = Directory.CreateTempSubdirectory("archivum-query-oracle-").FullName;

        internal DcmqrscpArchive Dcmqrscp { get; private set; } = null!;

        internal ServeProcess Serve { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            CliRunner.RequireDcmtk();
            var paths = Files.Select(f => Path.Combine(CliRunner.Corpus, f)).ToArray();
            Dcmqrscp = new DcmqrscpArchive(paths);
            string config = Path.Combine(_dir, "case.json");
            File.WriteAllText(config, """{ "Archivum": { "CaseInsensitivePersonNames": false } }""");
            Serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
            var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", Serve.DicomPort.ToString(CultureInfo.InvariantCulture), .. paths]);
            Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
        }

        public async Task DisposeAsync()
        {
            await Serve.DisposeAsync();
            Dcmqrscp.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>The values of <paramref name="returnTag"/> in findscu's responses.</summary>
    private static SortedSet<string> Find(string calledAE, int port, string level, string returnTag, string[] keys)
    {
        var args = new List<string> { "-S", "-aec", calledAE, "-k", $"QueryRetrieveLevel={level}", "-k", returnTag };
        foreach (string key in keys)
        {
            args.Add("-k");
            args.Add(key);
        }
        args.Add("127.0.0.1");
        args.Add(port.ToString(CultureInfo.InvariantCulture));
        var find = CliRunner.Run("findscu", [.. args]);
        Assert.True(find.ExitCode == 0, find.Stderr);
        string tag = "(" + returnTag.ToLowerInvariant() + ")";
        return new SortedSet<string>(find.Stderr.Split('\n')
            .Where(l => l.Contains(tag, StringComparison.Ordinal) && l.Contains('[', StringComparison.Ordinal))
            .Select(l => Bracketed().Match(l).Groups[1].Value), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("PatientName=*")]
    [InlineData("PatientName=C*")]
    [InlineData("PatientName=*^*")]
    [InlineData("PatientName=?ompressedSamples^?R1")]
    [InlineData("PatientName=Anonymized")]
    [InlineData("StudyDate=20040101-20041231")]
    [InlineData("StudyDate=-20030601")]
    [InlineData("StudyDate=20030417")]
    [InlineData("StudyDate=20100101-")]
    [InlineData("StudyDate=19970424")]
    [InlineData("AccessionNumber=*")]
    [InlineData("PatientID=*1*")]
    [InlineData("StudyInstanceUID=1.3.6.1.4.1.5962.1.2.1.20040119072730.12322\\1.22.333.4.555555.6.7777777777777777777777777777")]
    public void Study_level_queries_return_what_dcmqrscp_returns(string key)
    {
        var expected = Find(DcmqrscpArchive.AETitle, archives.Dcmqrscp.Port, "STUDY", "0020,000D", [key]);
        var actual = Find("ARCHIVUM", archives.Serve.DicomPort, "STUDY", "0020,000D", [key]);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("Modality=CT")]
    [InlineData("Modality=M*")]
    [InlineData("SeriesNumber=1")]
    public void Series_level_queries_within_each_study_return_what_dcmqrscp_returns(string key)
    {
        foreach (string study in Find(DcmqrscpArchive.AETitle, archives.Dcmqrscp.Port, "STUDY", "0020,000D", []))
        {
            var expected = Find(DcmqrscpArchive.AETitle, archives.Dcmqrscp.Port, "SERIES", "0020,000E", [$"StudyInstanceUID={study}", key]);
            var actual = Find("ARCHIVUM", archives.Serve.DicomPort, "SERIES", "0020,000E", [$"StudyInstanceUID={study}", key]);
            Assert.Equal(expected, actual);
        }
    }

    [GeneratedRegex(@"\[([^\]]*)\]")]
    private static partial Regex Bracketed();
}
