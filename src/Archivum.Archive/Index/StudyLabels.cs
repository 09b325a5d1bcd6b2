using System.Globalization;

namespace Archivum.Archive.Index;

/// <summary>
/// Labels on studies (<c>cardiology</c>, <c>teaching</c>, <c>research:lung-trial</c>): put on by an
/// administrator, or by a de-identification for a research project, and read by data scopes, which
/// admit a user to the studies that carry a label of theirs.
/// </summary>
public sealed class StudyLabels(ArchiveIndex index)
{
    /// <summary>The label every de-identified copy made for research project NAME carries: <c>research:NAME</c>.</summary>
    public const string ResearchPrefix = "research:";

    /// <summary>Throws <see cref="ArgumentException"/> unless the label is 1 to 64 letters, digits, '.', '-', '_' or ':'.</summary>
    public static string Validate(string label)
    {
        if (string.IsNullOrEmpty(label) || label.Length > 64 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':'))
        {
            throw new ArgumentException($"'{label}' is not a label: 1 to 64 letters, digits, '.', '-', '_' or ':'");
        }
        return label;
    }

    /// <summary>Puts a label on a stored study; false when the study is not stored. Putting it twice changes nothing.</summary>
    public bool Add(string studyUid, string label)
    {
        Validate(label);
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO study_labels (study_ref, label, added_at) SELECT id, $label, $now FROM studies WHERE study_uid = $uid";
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$uid", studyUid);
        command.ExecuteNonQuery();
        return Of(studyUid) is not null;
    }

    /// <summary>Takes a label off a study; false when the study did not carry it.</summary>
    public bool Remove(string studyUid, string label)
    {
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM study_labels WHERE label = $label AND study_ref = (SELECT id FROM studies WHERE study_uid = $uid)";
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$uid", studyUid);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>A stored study's labels in order, or null when the study is not stored.</summary>
    public IReadOnlyList<string>? Of(string studyUid)
    {
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT l.label FROM studies s LEFT JOIN study_labels l ON l.study_ref = s.id WHERE s.study_uid = $uid ORDER BY l.label";
        command.Parameters.AddWithValue("$uid", studyUid);
        using var reader = command.ExecuteReader();
        List<string>? labels = null;
        while (reader.Read())
        {
            labels ??= [];
            if (!reader.IsDBNull(0))
            {
                labels.Add(reader.GetString(0));
            }
        }
        return labels;
    }
}
