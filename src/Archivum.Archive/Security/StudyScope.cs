namespace Archivum.Archive.Security;

/// <summary>
/// The studies one user may see. Unrestricted, or: only de-identified research copies (a
/// researcher), and/or only studies that some <see cref="Rules"/> admits; plus the studies the
/// user opened by break-glass (<see cref="EmergencyStudies"/>), which a research-only scope never
/// has. The archive applies it to every query and retrieval alike (QIDO, WADO, C-FIND, C-MOVE,
/// C-GET), so a study outside it is as absent as one never stored: no match, no count, a 404.
/// </summary>
public sealed record StudyScope
{
    public static StudyScope Unrestricted { get; } = new();

    /// <summary>Only studies labelled <c>research:…</c> (copies de-identified for a project).</summary>
    public bool ResearchCopiesOnly { get; init; }

    /// <summary>Conditions of which one must admit a study; none: no condition.</summary>
    public IReadOnlyList<ScopeRule> Rules { get; init; } = [];

    /// <summary>Study Instance UIDs opened by break-glass, admitted whatever the rules say (not with <see cref="ResearchCopiesOnly"/>).</summary>
    public IReadOnlyList<string> EmergencyStudies { get; init; } = [];

    /// <summary>Whether the scope leaves any study out.</summary>
    public bool IsRestricted => ResearchCopiesOnly || Rules.Count > 0;

    /// <summary>The scope of a user of <paramref name="role"/> with these rules and break-glass studies.</summary>
    public static StudyScope For(Role role, IReadOnlyList<ScopeRule> rules, IReadOnlyList<string> emergencyStudies) => role switch
    {
        Role.Admin or Role.Auditor => Unrestricted,
        Role.Researcher => new StudyScope { ResearchCopiesOnly = true, Rules = rules },
        _ => rules.Count == 0 ? Unrestricted : new StudyScope { Rules = rules, EmergencyStudies = emergencyStudies },
    };
}
