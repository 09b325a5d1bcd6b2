using System.Globalization;
using System.Text;
using Archivum.Archive.Index;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Query;

/// <summary>
/// Answers C-FIND identifiers (and, through them, QIDO-RS) from the index: one SQL statement per
/// query over the tables of the asked level and those above it, with the matching keys as
/// conditions on indexed columns, and the return keys as its columns.
/// </summary>
public sealed class ArchiveQuery(ArchiveIndex index, ArchiveQueryOptions? options = null)
{
    private readonly ArchiveQueryOptions _options = options ?? new ArchiveQueryOptions();

    /// <summary>Runs a query. Throws <see cref="QueryException"/> when the identifier cannot be run as asked.</summary>
    public QueryResult Find(QueryModel model, DicomDataset identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = LevelOf(identifier, model);
        var (conditions, parameters, returned, unsupported, retrieveAETitle) = Plan(identifier, level);
        // The unique keys of the level and those above it are always returned (PS3.4 C.4.1.2.1).
        foreach (var unique in UniqueKeys(model, level))
        {
            if (!returned.Any(r => r.Tag == unique))
            {
                returned.Add((unique, IndexedKeys.Find(unique)!.VR, IndexedKeys.Find(unique)));
            }
        }
        // At IMAGE level the keys the index does not hold come from the instance's own header.
        bool fromHeader = level == QueryLevel.Image && _options.StoreRoot is not null && returned.Any(r => r.Key is null);
        var columns = returned.Where(r => r.Key is not null).Select(r => r.Key!.Column);
        string sql = Sql(level, fromHeader ? columns.Append("i.path") : columns, conditions);
        return new QueryResult(Read(sql, parameters, level, returned, retrieveAETitle, fromHeader), unsupported);
    }

    /// <summary>
    /// The stored instances under the entities a C-MOVE or C-GET identifier selects (PS3.4 C.4.2.1.4):
    /// matched at the identifier's level, every instance below.
    /// </summary>
    public IReadOnlyList<StoredInstance> FindInstances(QueryModel model, DicomDataset identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = LevelOf(identifier, model);
        var (conditions, parameters, _, unsupported, _) = Plan(identifier, level);
        if (unsupported.Count > 0)
        {
            // Retrieving more than was asked for is worse than refusing: say which key could not be used.
            throw new QueryException($"{string.Join(", ", unsupported.Select(t => DicomDictionary.GetKeyword(t) ?? t.ToString()))} cannot be used to select instances to retrieve");
        }
        string sql = Sql(QueryLevel.Image, ["i.sop_class_uid", "i.sop_instance_uid", "i.transfer_syntax", "i.path", "i.size_bytes"], conditions);
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var instances = new List<StoredInstance>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            instances.Add(new StoredInstance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        }
        return instances;
    }

    private (List<string> Conditions, List<(string Name, object Value)> Parameters, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> Returned, List<DicomTag> Unsupported, bool RetrieveAETitle) Plan(DicomDataset identifier, QueryLevel level)
    {
        var parameters = new List<(string Name, object Value)>();
        var conditions = new List<string>();
        var returned = new List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)>();
        var unsupported = new List<DicomTag>();
        bool retrieveAETitle = false;
        foreach (var element in identifier)
        {
            var tag = element.Tag;
            if (tag.Group is 0x0000 or 0x0002 || tag == DicomTags.QueryRetrieveLevel || tag == DicomTags.SpecificCharacterSet)
            {
                continue;
            }
            if (tag == DicomTags.RetrieveAETitle)
            {
                retrieveAETitle = true;
                continue;
            }
            var key = IndexedKeys.Find(tag)?.At(level);
            if (key is not null && key.Level > level)
            {
                continue; // a key of a lower level than the one asked: neither matched nor returned (PS3.4 C.2.2.1)
            }
            if (key is null)
            {
                if (HasValue(element))
                {
                    unsupported.Add(tag);
                }
                returned.Add((tag, element.VR, null));
                continue;
            }
            if (element is DicomValueElement && identifier.GetString(tag) is { Length: > 0 } value
                && MatchCondition.Build(key, value, _options, parameters) is { } condition)
            {
                conditions.Add(condition);
            }
            returned.Add((tag, key.VR, key));
        }
        return (conditions, parameters, returned, unsupported, retrieveAETitle);
    }

    private static bool HasValue(DicomElement element) => element switch
    {
        DicomValueElement v => v.Length > 0,
        DicomSequence s => s.Items.Any(i => i.Count > 0),
        _ => false,
    };

    private static QueryLevel LevelOf(DicomDataset identifier, QueryModel model)
    {
        string? text = identifier.GetString(DicomTags.QueryRetrieveLevel);
        var level = text switch
        {
            "PATIENT" => QueryLevel.Patient,
            "STUDY" => QueryLevel.Study,
            "SERIES" => QueryLevel.Series,
            "IMAGE" => QueryLevel.Image,
            null or "" => throw new QueryException("the identifier has no Query/Retrieve Level (0008,0052)"),
            _ => throw new QueryException($"Query/Retrieve Level '{text}' is not PATIENT, STUDY, SERIES or IMAGE"),
        };
        if (model == QueryModel.StudyRoot && level == QueryLevel.Patient)
        {
            throw new QueryException("the study root information model has no PATIENT level (PS3.4 C.6.2)");
        }
        return level;
    }

    private static IEnumerable<DicomTag> UniqueKeys(QueryModel model, QueryLevel level)
    {
        if (model == QueryModel.PatientRoot || level == QueryLevel.Patient)
        {
            yield return DicomTags.PatientID;
        }
        if (level >= QueryLevel.Study)
        {
            yield return DicomTags.StudyInstanceUID;
        }
        if (level >= QueryLevel.Series)
        {
            yield return DicomTags.SeriesInstanceUID;
        }
        if (level >= QueryLevel.Image)
        {
            yield return DicomTags.SOPInstanceUID;
        }
    }

    private static string Sql(QueryLevel level, IEnumerable<string> columns, List<string> conditions)
    {
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", columns.DefaultIfEmpty("1"));
        sql.Append(level switch
        {
            QueryLevel.Patient => " FROM patients p",
            QueryLevel.Study => " FROM studies st JOIN patients p ON p.id = st.patient_ref",
            QueryLevel.Series => " FROM series se JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref",
            _ => " FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref",
        });
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }
        sql.Append(level switch
        {
            QueryLevel.Patient => " ORDER BY p.id",
            QueryLevel.Study => " ORDER BY st.id",
            QueryLevel.Series => " ORDER BY se.id",
            _ => " ORDER BY i.id",
        });
        return sql.ToString();
    }

    private IEnumerable<DicomDataset> Read(string sql, List<(string Name, object Value)> parameters, QueryLevel level, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> returned, bool retrieveAETitle, bool fromHeader)
    {
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql + " LIMIT " + _options.MaxMatches.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var indexed = returned.Where(r => r.Key is not null).ToList();
        while (reader.Read())
        {
            var header = fromHeader ? HeaderValues(reader.GetString(indexed.Count), returned) : null;
            yield return Match(reader, level, indexed, returned, retrieveAETitle, header);
        }
    }

    /// <summary>The return keys the index does not hold, as the instance's header has them: decoded text, or the element itself for binary values and sequences.</summary>
    private Dictionary<DicomTag, object>? HeaderValues(string relativePath, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> returned)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(Path.Combine(_options.StoreRoot!, relativePath), Dicom.IO.DicomReadOptions.HeaderOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.IO.DicomReadException)
        {
            return null; // the match is still returned, these keys empty; integrity checks report the file
        }
        var values = new Dictionary<DicomTag, object>();
        foreach (var (tag, _, key) in returned)
        {
            if (key is null && file.Dataset[tag] is { } element)
            {
                values[tag] = element is DicomValueElement { VR: var vr } && vr.IsString() ? (vr, file.Dataset.GetString(tag) ?? "") : element;
            }
        }
        return values;
    }

    private DicomDataset Match(SqliteDataReader reader, QueryLevel level, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> indexed, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> returned, bool retrieveAETitle, Dictionary<DicomTag, object>? header)
    {
        var values = new string?[indexed.Count];
        bool ascii = header is null || header.Values.All(v => v is not ValueTuple<DicomVR, string> text || Ascii.IsValid(text.Item2));
        for (int i = 0; i < indexed.Count; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            ascii &= values[i] is null || Ascii.IsValid(values[i]);
        }
        var match = new DicomDataset();
        if (!ascii)
        {
            // The index holds decoded text; anything beyond ASCII goes back as UTF-8 (PS3.5 §6.1.2.5.3).
            match.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }
        match.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level == QueryLevel.Image ? "IMAGE" : level.ToString().ToUpperInvariant());
        if (retrieveAETitle)
        {
            match.SetString(DicomTags.RetrieveAETitle, DicomVR.AE, _options.RetrieveAETitle);
        }
        for (int i = 0; i < indexed.Count; i++)
        {
            Set(match, indexed[i].Tag, indexed[i].VR, values[i]);
        }
        foreach (var (tag, value) in header ?? [])
        {
            if (value is ValueTuple<DicomVR, string> text)
            {
                match.SetString(tag, text.Item1, text.Item2); // decoded from the file's character set, encoded in the answer's
            }
            else
            {
                match.AddOrReplace(value is DicomSequence sequence
                    ? new DicomSequence(tag, sequence.Items.Select(i => i.Clone())) { HasUndefinedLength = sequence.HasUndefinedLength }
                    : (DicomElement)value);
            }
        }
        foreach (var (tag, vr, key) in returned)
        {
            if (key is null && !match.Contains(tag))
            {
                // A return key the index does not hold: returned empty (PS3.4 C.4.1.1.3.2).
                if (vr == DicomVR.SQ)
                {
                    match.SetSequence(tag);
                }
                else
                {
                    match.SetBytes(tag, vr, ReadOnlyMemory<byte>.Empty);
                }
            }
        }
        return match;
    }

    private static void Set(DicomDataset match, DicomTag tag, DicomVR vr, string? value)
    {
        if (value is null)
        {
            match.SetBytes(tag, vr, ReadOnlyMemory<byte>.Empty);
        }
        else if (vr is DicomVR.US)
        {
            match.SetValues(tag, vr, ushort.Parse(value, CultureInfo.InvariantCulture));
        }
        else
        {
            match.SetString(tag, vr, value);
        }
    }
}
