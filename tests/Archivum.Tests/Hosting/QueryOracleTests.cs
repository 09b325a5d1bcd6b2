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
        internal static readonly string[] Files =
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
            .Select(l => Bracketed().Match(l).Groups[1].Value.TrimEnd('\0', ' ')), StringComparer.Ordinal); // findscu shows the padding
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

    /// <summary>
    /// The SOP Instance UIDs of the archived files that have an item of <paramref name="sequence"/> whose
    /// <paramref name="itemKey"/> has a value matching <paramref name="pattern"/> (* and ?), as pydicom reads
    /// the files and Python's fnmatch matches.
    /// </summary>
    private static SortedSet<string> PydicomSequenceMatches(string sequence, string itemKey, string pattern)
    {
        const string Script = """
            import sys, fnmatch, pydicom
            sequence, key, pattern = sys.argv[1:4]
            for path in sys.argv[4:]:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
                for item in ds.get(sequence, []):
                    if key in item:
                        value = item.data_element(key).value
                        values = value if isinstance(value, pydicom.multival.MultiValue) else [value]
                        if any(fnmatch.fnmatchcase(str(v), pattern) for v in values):
                            print(ds.SOPInstanceUID)
                            break
            """;
        var run = CliRunner.Run("/usr/bin/python3", ["-c", Script, sequence, itemKey, pattern, .. Archives.Files.Select(f => Path.Combine(CliRunner.Corpus, f))]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return new SortedSet<string>(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("DerivationCodeSequence", "CodeValue", "113040")]
    [InlineData("DerivationCodeSequence", "CodingSchemeDesignator", "D?M")]
    [InlineData("ConceptNameCodeSequence", "CodeValue", "IHE*")]
    [InlineData("ConceptNameCodeSequence", "CodeMeaning", "*i*")]
    [InlineData("SourceImageSequence", "ReferencedSOPClassUID", "1.2.840.10008.5.1.4.1.1.7")]
    [InlineData("ReferencedStructureSetSequence", "ReferencedSOPInstanceUID", "1.2.333.444.55.6.7777.88888")]
    [InlineData("VerifyingObserverSequence", "VerifyingOrganization", "OFFIS*")]
    [InlineData("OtherPatientIDsSequence", "PatientID", "*1234")]
    [InlineData("SegmentSequence", "SegmentLabel", "Liver")]
    [InlineData("ContentSequence", "RelationshipType", "HAS OBS CONTEXT")]
    [InlineData("BeamSequence", "Manufacturer", "Nobody*")]
    public void Sequence_matching_at_image_level_finds_the_files_pydicom_finds(string sequence, string itemKey, string pattern)
    {
        var expected = PydicomSequenceMatches(sequence, itemKey, pattern);
        var actual = Find("ARCHIVUM", archives.Serve.DicomPort, "IMAGE", "0008,0018", [$"{sequence}[0].{itemKey}={pattern}"]);
        Assert.Equal(expected, actual);
    }

    [GeneratedRegex(@"\[([^\]]*)\]")]
    private static partial Regex Bracketed();
}
