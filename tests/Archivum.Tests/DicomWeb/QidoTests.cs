using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// QIDO-RS (PS3.18 §10.6) against `archivum serve` holding pydicom's corpus files: what comes back
/// is compared with what DCMTK's dcm2json reads from the same files (the same JSON model, PS3.18 F.2).
/// </summary>
public sealed class QidoTests(QidoTests.Archive archive) : IClassFixture<QidoTests.Archive>
{
    /// <summary>The archive, shared by the tests of the class.</summary>
    public sealed class Archive : IAsyncLifetime
    {
        internal static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "693_J2KI.dcm", "test-SR.dcm", "rtplan.dcm"];

        private readonly string _dir = Directory.CreateTempSubdirectory("archivum-qido-").FullName;

        internal ServeProcess Serve { get; private set; } = null!;

        /// <summary>dcm2json's reading of each file, by file name.</summary>
        internal Dictionary<string, JsonObject> Oracle { get; } = [];

        public async Task InitializeAsync()
        {
            CliRunner.RequireDcmtk();
            Serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
            var paths = Files.Select(f => Path.Combine(CliRunner.Corpus, f)).ToArray();
            var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", Serve.DicomPort.ToString(CultureInfo.InvariantCulture), .. paths]);
            Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
            foreach (string file in Files)
            {
                // dcm2json cannot write compressed pixel data as JSON: it reads a copy without it (the search never returns it).
                string copy = Path.Combine(_dir, file);
                File.Copy(Path.Combine(CliRunner.Corpus, file), copy);
                var strip = CliRunner.Run("dcmodify", ["-nb", "-imt", "-ea", "(7fe0,0010)", copy]);
                Assert.True(strip.ExitCode == 0, strip.Stderr);
                var json = CliRunner.Run("dcm2json", ["--compact-code", copy]);
                Assert.True(json.ExitCode == 0, json.Stderr);
                Oracle[file] = JsonNode.Parse(json.Stdout)!.AsObject();
            }
        }

        public async Task DisposeAsync()
        {
            await Serve.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<(HttpStatusCode Status, JsonArray? Body, HttpResponseMessage Response)> Get(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await archive.Serve.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text)!.AsArray() : null, response);
    }

    private string Value(string file, string tag) => archive.Oracle[file][tag]!["Value"]![0]!.ToString();

    private static string[] Values(JsonArray matches, string tag) =>
        matches.Select(m => m![tag]?["Value"]?[0]?.ToString() ?? "").Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("00100010", "00100020", "00080020", "00080030", "0020000D", "00200010", "00081030", "00100040")]
    public async Task A_study_comes_back_with_the_values_dcm2json_reads_from_its_file(params string[] tags)
    {
        string uid = Value("CT_small.dcm", "0020000D");
        var (status, body, response) = await Get($"dicomweb/studies?StudyInstanceUID={uid}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType!.MediaType);
        var study = Assert.Single(body!)!.AsObject();
        foreach (string tag in tags)
        {
            Assert.True(JsonNode.DeepEquals(archive.Oracle["CT_small.dcm"][tag]!["Value"], study[tag]!["Value"]), $"{tag}: {study[tag]?.ToJsonString()} vs dcm2json {archive.Oracle["CT_small.dcm"][tag]?.ToJsonString()}");
            Assert.Equal(archive.Oracle["CT_small.dcm"][tag]!["vr"]!.ToString(), study[tag]!["vr"]!.ToString());
        }
        Assert.Equal($"http://127.0.0.1:{archive.Serve.HttpPort}/dicomweb/studies/{uid}", study["00081190"]!["Value"]![0]!.ToString());
        Assert.Equal("1", study["00201208"]!["Value"]![0]!.ToString()); // Number of Study Related Instances
        Assert.False(study.ContainsKey("00080052")); // no Query/Retrieve Level in a QIDO answer
    }

    [Fact]
    public async Task Searches_match_by_keyword_or_tag_wildcard_range_and_list_with_limit_and_offset()
    {
        var all = (await Get("dicomweb/studies")).Body!;
        Assert.Equal(archive.Oracle.Values.Select(o => o["0020000D"]!["Value"]![0]!.ToString()).Distinct().Count(), all.Count);

        var ct = (await Get("dicomweb/studies?PatientName=compressedsamples%5Ec*")).Body!; // case-insensitive by default
        Assert.Equal([Value("CT_small.dcm", "0020000D")], Values(ct, "0020000D"));
        var byTag = (await Get("dicomweb/studies?00100010=CompressedSamples*&ModalitiesInStudy=MR")).Body!;
        Assert.Equal([Value("MR_small.dcm", "0020000D")], Values(byTag, "0020000D"));
        var dates = (await Get($"dicomweb/studies?StudyDate={Value("CT_small.dcm", "00080020")}-{Value("MR_small.dcm", "00080020")}")).Body!;
        Assert.Contains(Value("CT_small.dcm", "0020000D"), Values(dates, "0020000D"));
        Assert.Contains(Value("MR_small.dcm", "0020000D"), Values(dates, "0020000D"));
        var list = (await Get($"dicomweb/studies?StudyInstanceUID={Value("CT_small.dcm", "0020000D")},{Value("MR_small.dcm", "0020000D")}")).Body!;
        Assert.Equal(2, list.Count);

        var first = (await Get("dicomweb/studies?limit=2")).Body!;
        var rest = (await Get("dicomweb/studies?offset=2")).Body!;
        Assert.Equal(2, first.Count);
        Assert.Equal(Values(all, "0020000D"), Values([.. first.Select(n => n!.DeepClone()), .. rest.Select(n => n!.DeepClone())], "0020000D"));

        // A limit past the documented maximum is capped, and the answer says so.
        var (status, huge, response) = await Get("dicomweb/instances?includefield=all&limit=1000000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(archive.Oracle.Count, huge!.Count);
        Assert.Contains(response.Headers.GetValues("Warning"), w => w.StartsWith("299 archivum \"limit 1000000 is more than the 10000 matches", StringComparison.Ordinal));
        Assert.False((await Get("dicomweb/studies?limit=2")).Response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Series_and_instances_under_a_study_and_on_their_own()
    {
        string study = Value("CT_small.dcm", "0020000D"), series = Value("CT_small.dcm", "0020000E"), sop = Value("CT_small.dcm", "00080018");
        var seriesList = (await Get($"dicomweb/studies/{study}/series")).Body!;
        var one = Assert.Single(seriesList)!.AsObject();
        Assert.Equal(series, one["0020000E"]!["Value"]![0]!.ToString());
        Assert.Equal(Value("CT_small.dcm", "00080060"), one["00080060"]!["Value"]![0]!.ToString());
        Assert.Equal($"http://127.0.0.1:{archive.Serve.HttpPort}/dicomweb/studies/{study}/series/{series}", one["00081190"]!["Value"]![0]!.ToString());
        Assert.False(one.ContainsKey("00100010")); // under a study, no study attributes but its UID

        var instances = (await Get($"dicomweb/studies/{study}/series/{series}/instances")).Body!;
        var instance = Assert.Single(instances)!.AsObject();
        Assert.Equal(sop, instance["00080018"]!["Value"]![0]!.ToString());
        Assert.Equal(Value("CT_small.dcm", "00080016"), instance["00080016"]!["Value"]![0]!.ToString());
        Assert.True(JsonNode.DeepEquals(archive.Oracle["CT_small.dcm"]["00280010"]!["Value"], instance["00280010"]!["Value"])); // Rows

        var everywhere = (await Get("dicomweb/series?Modality=MR")).Body!;
        var mr = Assert.Single(everywhere)!.AsObject();
        Assert.Equal(Value("MR_small.dcm", "00100020"), mr["00100020"]!["Value"]![0]!.ToString()); // /series carries the study's attributes
        string[] classes = [Value("CT_small.dcm", "00080016"), Value("MR_small.dcm", "00080016")];
        var ofClasses = (await Get($"dicomweb/instances?SOPClassUID={classes[0]},{classes[1]}")).Body!;
        Assert.Equal(Archive.Files.Where(f => classes.Contains(Value(f, "00080016"))).Select(f => Value(f, "00080018")).Order(StringComparer.Ordinal), Values(ofClasses, "00080018"));
        Assert.Single((await Get($"dicomweb/studies/{study}/instances")).Body!);
    }

    [Fact]
    public async Task Includefield_fuzzy_names_and_sequence_keys()
    {
        string study = Value("CT_small.dcm", "0020000D");
        var plain = Assert.Single((await Get($"dicomweb/studies?StudyInstanceUID={study}")).Body!)!.AsObject();
        Assert.False(plain.ContainsKey("00101010"));
        var included = Assert.Single((await Get($"dicomweb/studies?StudyInstanceUID={study}&includefield=PatientAge,00081010")).Body!)!.AsObject();
        Assert.True(JsonNode.DeepEquals(archive.Oracle["CT_small.dcm"]["00101010"]!["Value"], included["00101010"]!["Value"])); // from the stored header
        Assert.True(JsonNode.DeepEquals(archive.Oracle["CT_small.dcm"]["00081010"]!["Value"], included["00081010"]!["Value"]));
        var all = Assert.Single((await Get($"dicomweb/studies?StudyInstanceUID={study}&includefield=all")).Body!)!.AsObject();
        Assert.True(all.ContainsKey("00080080")); // Institution Name, not among the defaults

        Assert.Empty((await Get("dicomweb/studies?PatientName=ct1")).Body!);
        var fuzzy = (await Get("dicomweb/studies?PatientName=ct1&fuzzymatching=true")).Body!;
        Assert.Equal([study], Values(fuzzy, "0020000D"));

        var derived = (await Get("dicomweb/instances?DerivationCodeSequence.CodeValue=113040")).Body!;
        Assert.Equal(new[] { Value("JPEG2000.dcm", "00080018"), Value("693_J2KI.dcm", "00080018") }.Order(StringComparer.Ordinal), Values(derived, "00080018"));
    }

    [Theory]
    [InlineData("dicomweb/studies?Nonsense=1", HttpStatusCode.BadRequest, "Nonsense")]
    [InlineData("dicomweb/studies?StudyDate=yesterday", HttpStatusCode.BadRequest, "not a date")]
    [InlineData("dicomweb/studies?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("dicomweb/studies?offset=-1", HttpStatusCode.BadRequest, "offset")]
    [InlineData("dicomweb/studies?fuzzymatching=maybe", HttpStatusCode.BadRequest, "fuzzymatching")]
    [InlineData("dicomweb/studies?StudyInstanceUID=1.*", HttpStatusCode.BadRequest, "wildcards")]
    [InlineData("dicomweb/studies/1.2.abc/series", HttpStatusCode.BadRequest, "not a UID")]
    [InlineData("dicomweb/studies/..%2F..%2Fetc/instances", HttpStatusCode.BadRequest, "not a UID")]
    public async Task Malformed_searches_are_answered_400_with_the_reason(string url, HttpStatusCode expected, string reason)
    {
        var (status, _, response) = await Get(url);
        Assert.Equal(expected, status);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_types_are_negotiated_and_no_match_is_an_empty_array()
    {
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Get("dicomweb/studies", "application/dicom+xml")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("dicomweb/studies", "application/json")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("dicomweb/studies", "application/dicom+xml, */*;q=0.1")).Status);
        var (status, body, _) = await Get("dicomweb/studies?PatientID=nobody");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!);
    }
}
