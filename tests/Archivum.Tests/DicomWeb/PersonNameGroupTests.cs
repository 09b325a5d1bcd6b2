using System.Globalization;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// Person names of several component groups (alphabetic=ideographic=phonetic), from pydicom's
/// character-set files (ISO 2022 Japanese, GB 18030, Korean), matched by QIDO-RS and C-FIND group
/// by group: a key of one group matches any group of the name, wildcards never reach across groups.
/// The names each file holds are pydicom's reading of it.
/// </summary>
public sealed class PersonNameGroupTests : IAsyncLifetime
{
    private static readonly string[] Files = ["chrH31.dcm", "chrX1.dcm", "chrX2.dcm", "chrJapMulti.dcm", "chrKoreanMulti.dcm"];
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-pn-").FullName;
    private ServeProcess _serve = null!;
    private readonly Dictionary<string, string> _studyOf = [];

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        _serve.SignIn(ServeProcess.InitialAdminUser, _serve.InitialAdminPassword);
        var paths = Files.Select(CharsetFile).ToArray();
        var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", Port, .. paths]);
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
        foreach (string file in Files)
        {
            _studyOf[file] = CliRunner.FileValue(CharsetFile(file), "StudyInstanceUID");
        }
        // The oracle's reading of the names the expectations below rest on.
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", Pydicom("chrH31.dcm"));
        Assert.Equal("Wang^XiaoDong=王^小東", Pydicom("chrX1.dcm"));
        Assert.Equal("やまだ^たろう", Pydicom("chrJapMulti.dcm"));
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("山田*", "chrH31.dcm")]
    [InlineData("*山田*", "chrH31.dcm")]
    [InlineData("やまだ*", "chrH31.dcm chrJapMulti.dcm")]
    [InlineData("Yamada*", "chrH31.dcm")]
    [InlineData("yamada^tarou", "chrH31.dcm")]
    [InlineData("王^小東", "chrX1.dcm")]
    [InlineData("*^小*", "chrX1.dcm chrX2.dcm")]
    [InlineData("Wang^XiaoDong", "chrX1.dcm chrX2.dcm")]
    [InlineData("Yamada^Tarou=山田*", "chrH31.dcm")]
    [InlineData("=山田^太郎", "chrH31.dcm")]
    [InlineData("Wang*=*东", "chrX2.dcm")]
    [InlineData("Yamada*たろう", "")] // a wildcard does not reach from one group into another
    [InlineData("김희중", "chrKoreanMulti.dcm")]
    public async Task A_name_matches_group_by_group_in_qido_and_c_find(string key, string expected)
    {
        var wanted = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => _studyOf[f]).Order(StringComparer.Ordinal).ToList();

        using var qido = JsonDocument.Parse(await _serve.Http.GetStringAsync($"dicomweb/studies?PatientName={Uri.EscapeDataString(key)}"));
        Assert.Equal(wanted, Studies(qido.RootElement));

        var find = CliRunner.Archivum("find", "--port", Port, "--called-ae", "ARCHIVUM", "-L", "STUDY", "-k", $"PatientName={key}", "-k", "StudyInstanceUID", "--json");
        Assert.True(find.ExitCode == 0, find.Stderr);
        using var dimse = JsonDocument.Parse(find.Stdout);
        Assert.Equal(wanted, Studies(dimse.RootElement));
    }

    private static List<string> Studies(JsonElement matches) =>
        matches.EnumerateArray().Select(m => m.GetProperty("0020000D").GetProperty("Value")[0].GetString()!).Order(StringComparer.Ordinal).ToList();

    private static string CharsetFile(string file) => Path.Combine(CliRunner.Corpus, "..", "charset_files", file);

    private static string Pydicom(string file)
    {
        var read = CliRunner.Run("/usr/bin/python3", "-c", $"import pydicom; print(pydicom.dcmread('{CharsetFile(file)}').PatientName)");
        Assert.True(read.ExitCode == 0, read.Stderr);
        return read.Stdout.Trim();
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);
}
