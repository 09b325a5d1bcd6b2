using System.Globalization;
using Archivum.Archive.Index;
using Archivum.Archive.Security;

namespace Archivum.Archive.Query;

/// <summary>A <see cref="StudyScope"/> as an SQL condition on a row of <c>studies</c>, for every query the archive answers.</summary>
internal static class StudyScopeCondition
{
    /// <summary>The condition on the study row aliased <paramref name="study"/>, or null when the scope leaves nothing out.</summary>
    public static string? For(StudyScope? scope, string study, List<(string Name, object Value)> parameters)
    {
        if (scope is null || !scope.IsRestricted)
        {
            return null;
        }
        var parts = new List<string>();
        if (scope.ResearchCopiesOnly)
        {
            // A research copy, and nothing in it but what the de-identifier wrote: an instance a sender
            // added to the study (identified, perhaps) takes the whole study out of a researcher's sight.
            parts.Add($"EXISTS (SELECT 1 FROM study_labels l WHERE l.study_ref = {study}.id AND l.label GLOB {Add(parameters, StudyLabels.ResearchPrefix + "*")})");
            parts.Add($"NOT EXISTS (SELECT 1 FROM series rs JOIN instances ri ON ri.series_ref = rs.id WHERE rs.study_ref = {study}.id AND ri.deidentified_for IS NULL)");
        }
        if (scope.Rules.Count > 0)
        {
            parts.Add("(" + string.Join(" OR ", scope.Rules.Select(r => Rule(r, study, parameters))) + ")");
        }
        string condition = string.Join(" AND ", parts);
        if (scope.EmergencyStudies.Count > 0 && !scope.ResearchCopiesOnly)
        {
            condition = $"({condition} OR {study}.study_uid IN ({string.Join(", ", scope.EmergencyStudies.Select(u => Add(parameters, u)))}))";
        }
        return "(" + condition + ")";
    }

    /// <summary>The condition on a patient row (alias <paramref name="patient"/>): some study of the patient is in scope.</summary>
    public static string? ForPatient(StudyScope? scope, string patient, List<(string Name, object Value)> parameters) =>
        For(scope, "sc", parameters) is { } inScope
            ? $"EXISTS (SELECT 1 FROM studies sc WHERE sc.patient_ref = {patient}.id AND {inScope})"
            : null;

    private static string Rule(ScopeRule rule, string study, List<(string Name, object Value)> parameters) => rule.Kind switch
    {
        ScopeRuleKind.Institution => $"{study}.institution = {Add(parameters, rule.Value)} COLLATE NOCASE",
        // As C-FIND matches a person name: * and ? are wildcards (GLOB's, with [ escaped), case ignored.
        ScopeRuleKind.Referring => $"{study}.referring_physician_upper GLOB {Add(parameters, rule.Value.ToUpperInvariant().Replace("[", "[[]", StringComparison.Ordinal))}",
        _ => $"EXISTS (SELECT 1 FROM study_labels l WHERE l.study_ref = {study}.id AND l.label = {Add(parameters, rule.Value)})",
    };

    private static string Add(List<(string Name, object Value)> parameters, object value)
    {
        string name = "$s" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add((name, value));
        return name;
    }
}
