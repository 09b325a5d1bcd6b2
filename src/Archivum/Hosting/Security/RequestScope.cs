using System.Security.Claims;
using Archivum.Archive.Security;

namespace Archivum.Hosting.Security;

/// <summary>The <see cref="StudyScope"/> of the signed-in user of a request, read once per request from <c>security.db</c> (so a changed scope or a break-glass opening bites at the next request).</summary>
internal static class RequestScope
{
    private static readonly object Key = new();

    public static StudyScope StudyScope(this HttpContext http)
    {
        if (http.Items.TryGetValue(Key, out var known) && known is StudyScope cached)
        {
            return cached;
        }
        var store = http.RequestServices.GetRequiredService<SecurityStore>();
        // Every endpoint that reads patient data requires a signed-in user; should one ever not,
        // it sees nothing rather than everything.
        var scope = http.User.FindFirstValue(ClaimTypes.Name) is { } name
            && Enum.TryParse<Role>(http.User.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var role)
            && store.Find(name) is not { Disabled: true }
            // A single sign-on user needs no local account; one of the same name lends its scope rules.
            ? store.ScopeOf(name, role)
            : Nothing;
        http.Items[Key] = scope;
        return scope;
    }

    /// <summary>A scope no study is in: research copies only, and a label no study can carry ('!' is not allowed in labels).</summary>
    private static readonly StudyScope Nothing = new() { ResearchCopiesOnly = true, Rules = [new ScopeRule(ScopeRuleKind.Label, "!")] };
}
