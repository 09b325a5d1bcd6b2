namespace Archivum.Archive.Security;

/// <summary>What a scope rule looks at in a study.</summary>
public enum ScopeRuleKind
{
    /// <summary>Institution Name (0008,0080), as indexed, regardless of case.</summary>
    Institution,
    /// <summary>Referring Physician's Name (0008,0090), matched as C-FIND matches a person name (* and ? wildcards, regardless of case).</summary>
    Referring,
    /// <summary>A label put on the study (<see cref="Index.StudyLabels"/>).</summary>
    Label,
}

/// <summary>One condition that admits a study to a user's scope, written <c>kind=value</c> (<c>institution=City Hospital</c>, <c>referring=SMITH^*</c>, <c>label=cardiology</c>).</summary>
public sealed record ScopeRule(ScopeRuleKind Kind, string Value)
{
    /// <summary>Reads <c>kind=value</c>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static ScopeRule Parse(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new ArgumentException($"'{text}' is not a scope rule: institution=NAME, referring=PERSON-NAME (wildcards * and ?) or label=LABEL");
        }
        string kind = text[..equals].Trim();
        string value = text[(equals + 1)..].Trim();
        var parsed = kind.ToLowerInvariant() switch
        {
            "institution" => ScopeRuleKind.Institution,
            "referring" => ScopeRuleKind.Referring,
            "label" => ScopeRuleKind.Label,
            _ => throw new ArgumentException($"'{kind}' is not a kind of scope rule: institution, referring or label"),
        };
        if (value.Length == 0 || value.Length > 64 || value.Any(char.IsControl))
        {
            throw new ArgumentException($"the value of '{text}' must be 1 to 64 printable characters");
        }
        return new ScopeRule(parsed, parsed == ScopeRuleKind.Label ? Index.StudyLabels.Validate(value) : value);
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}={Value}";
}
