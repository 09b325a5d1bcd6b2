using System.Net;
using System.Text;
using Archivum.Archive.Security;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// The README's table "who may do what", read from the README itself, checked row by row against
/// a running server for every role and for a request without credentials: ✓ must not be refused
/// (neither 401 nor 403), – must be 403 for a signed-in role and 401 for no credentials. The UIDs
/// in the paths name nothing stored, so no row changes the archive (allowed deletions are 404).
/// A route the server maps that the table lacks fails the test too.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private const string Password = "matrix-test-password";
    private static readonly string[] Roles = ["anonymous", "admin", "clinician", "technologist", "researcher", "auditor"];

    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-matrix-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        var store = SecurityStore.Open(_serve.DataFolder);
        foreach (string role in Roles.Skip(2))
        {
            store.AddUser("the-" + role, RolePrivileges.Parse(role), Password);
        }
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The rows of the README's table: method, path, and for each role whether it is allowed.</summary>
    internal static List<(string Method, string Path, bool[] Allowed)> Table()
    {
        string readme = File.ReadAllText(Path.Combine(Support.SourceTree.Root, "README.md"));
        int start = readme.IndexOf("| endpoint | anonymous | admin |", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no endpoint × role table");
        var rows = new List<(string, string, bool[])>();
        foreach (string line in readme[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Trim().Trim('|').Split('|', StringSplitOptions.TrimEntries);
            string[] endpoint = cells[0].Trim('`').Split(' ', 2);
            Assert.True(cells.Length == 1 + Roles.Length && cells.Skip(1).All(c => c is "✓" or "–"), $"malformed row: {line}");
            rows.Add((endpoint[0], endpoint[1], [.. cells.Skip(1).Select(c => c == "✓")]));
        }
        return rows;
    }

    private static string Concrete(string path) => path
        .Replace("{study}", "1.2.3.999", StringComparison.Ordinal).Replace("{series}", "1.2.3.998", StringComparison.Ordinal)
        .Replace("{instance}", "1.2.3.997", StringComparison.Ordinal).Replace("{uid}", "1.2.3.996", StringComparison.Ordinal)
        .Replace("{aeTitle}", "NOSUCHAE", StringComparison.Ordinal).Replace("{frames}", "1", StringComparison.Ordinal)
        .Replace("{path}", "7FE00010", StringComparison.Ordinal).Replace("{label}", "teaching", StringComparison.Ordinal)
        .Replace("{patientId}", "NOSUCHPATIENT", StringComparison.Ordinal)
        + (path == "/wado" ? "?requestType=WADO&studyUID=1.2.3.999&seriesUID=1.2.3.998&objectUID=1.2.3.997" : "");

    [Fact]
    public async Task Every_row_of_the_table_holds_for_every_role()
    {
        var wrong = new List<string>();
        foreach (var (method, path, allowed) in Table())
        {
            for (int r = 0; r < Roles.Length; r++)
            {
                _serve.SignIn(r == 0 ? null : r == 1 ? ServeProcess.InitialAdminUser : "the-" + Roles[r], r == 1 ? _serve.InitialAdminPassword : Password);
                using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(path).TrimStart('/'));
                if (method is "PUT" or "POST")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var response = await _serve.Http.SendAsync(request);
                var status = response.StatusCode;
                bool refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var expectedRefusal = r == 0 ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (allowed[r] ? refused : status != expectedRefusal)
                {
                    wrong.Add($"{method} {path} as {Roles[r]}: {(int)status}, expected {(allowed[r] ? "allowed" : ((int)expectedRefusal).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_endpoint_the_server_maps_is_in_the_table()
    {
        var table = Table().Select(r => $"{r.Method} {r.Path}").ToHashSet(StringComparer.Ordinal);
        var mapped = System.Text.Json.Nodes.JsonNode.Parse(await _serve.Http.GetStringAsync("api/endpoints"))!.AsArray()
            .Select(e => $"{e!["method"]} {((string)e["path"]!).Replace("{**path}", "{path}", StringComparison.Ordinal).Replace("{frame}", "{frames}", StringComparison.Ordinal)}")
            .Where(e => !e.StartsWith("GET /viewer/", StringComparison.Ordinal) || e == "GET /viewer/{path}")
            .Select(e => e == "GET /viewer/{path}" ? "GET /viewer/" : e)
            .Where(e => !e.StartsWith("GET /api/docs", StringComparison.Ordinal)) // the documentation page, anonymous like the document
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(mapped.Except(table));
        Assert.Empty(table.Except(mapped));
    }
}
