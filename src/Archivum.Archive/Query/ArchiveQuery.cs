using System.Globalization;
using System.Text;
using Archivum.Archive.Index;
using Archivum.Archive.Security;
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

    /// <summary>
    /// Runs a query, seeing only the studies of <paramref name="scope"/> (all when null): an entity
    /// outside it matches nothing, and a patient's counts count only the studies in it. Throws
    /// <see cref="QueryException"/> when the identifier cannot be run as asked.
    /// </summary>
    public QueryResult Find(QueryModel model, DicomDataset identifier, StudyScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = LevelOf(identifier, model);
        var plan = Plan(identifier, level, scope);
        if ((level == QueryLevel.Patient ? StudyScopeCondition.ForPatient(scope, "p", plan.Parameters) : StudyScopeCondition.For(scope, "st", plan.Parameters)) is { } inScope)
        {
            plan.Conditions.Add(inScope);
        }
        // The unique keys of the level and those above it are always returned (PS3.4 C.4.1.2.1).
        foreach (var unique in UniqueKeys(model, level))
        {
            if (!plan.Returned.Any(r => r.Tag == unique))
            {
                plan.Returned.Add((unique, IndexedKeys.Find(unique)!.VR, IndexedKeys.Find(unique)));
            }
        }
        // The keys the index does not hold are matched and returned from the header of an instance
        // of each candidate entity: the instance itself at IMAGE level, the entity's first stored one above.
        bool fromHeader = plan.HeaderKeys.Count > 0;
        var columns = plan.Returned.Where(r => r.Key is not null).Select(r => r.Key!.Column);
        string sql = Sql(level, fromHeader ? columns.Append(FirstInstancePath(level, scope, plan.Parameters)) : columns, plan.Conditions);
        return new QueryResult(Read(sql, level, plan), plan.Unsupported);
    }

    /// <summary>
    /// The stored instances under the entities a C-MOVE or C-GET identifier selects (PS3.4 C.4.2.1.4):
    /// matched at the identifier's level, every instance below, of the studies in <paramref name="scope"/> (all when null).
    /// </summary>
    public IReadOnlyList<StoredInstance> FindInstances(QueryModel model, DicomDataset identifier, StudyScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = LevelOf(identifier, model);
        var plan = Plan(identifier, level, scope);
        if (StudyScopeCondition.For(scope, "st", plan.Parameters) is { } inScope)
        {
            plan.Conditions.Add(inScope); // on the study of each instance: a patient's other studies stay out
        }
        var unusable = plan.Unsupported.Concat(plan.HeaderMatches.Select(k => k.Tag)).ToList();
        if (unusable.Count > 0)
        {
            // Retrieving more than was asked for is worse than refusing: say which key could not be used.
            throw new QueryException($"{string.Join(", ", unusable.Select(t => DicomDictionary.GetKeyword(t) ?? t.ToString()))} cannot be used to select instances to retrieve");
        }
        string sql = Sql(QueryLevel.Image, ["i.sop_class_uid", "i.sop_instance_uid", "i.transfer_syntax", "i.path", "i.size_bytes", "i.original_transfer_syntax"], plan.Conditions);
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in plan.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var instances = new List<StoredInstance>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            instances.Add(new StoredInstance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4))
            {
                OriginalTransferSyntaxUid = reader.IsDBNull(5) ? null : reader.GetString(5),
            });
        }
        return instances;
    }

    /// <summary>
    /// A query made ready to run: conditions on indexed columns with their parameters, the return
    /// keys (indexed or not), and the keys the index does not hold, those to match among them, and
    /// those that cannot be matched at all.
    /// </summary>
    private sealed class QueryPlan
    {
        public List<string> Conditions { get; } = [];

        public List<(string Name, object Value)> Parameters { get; } = [];

        public List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> Returned { get; } = [];

        public List<DicomElement> HeaderKeys { get; } = [];

        public List<DicomElement> HeaderMatches { get; } = [];

        public List<DicomTag> Unsupported { get; } = [];

        public bool RetrieveAETitle { get; set; }

        public DicomDataset Identifier { get; init; } = null!;
    }

    private QueryPlan Plan(DicomDataset identifier, QueryLevel level, StudyScope? scope)
    {
        var plan = new QueryPlan { Identifier = identifier };
        foreach (var element in identifier)
        {
            var tag = element.Tag;
            if (tag.Group is 0x0000 or 0x0002 || tag == DicomTags.QueryRetrieveLevel || tag == DicomTags.SpecificCharacterSet)
            {
                continue;
            }
            if (tag == DicomTags.RetrieveAETitle)
            {
                plan.RetrieveAETitle = true;
                continue;
            }
            var key = Scoped(IndexedKeys.Find(tag)?.At(level), scope, plan.Parameters);
            if (key is not null && key.Level > level)
            {
                continue; // a key of a lower level than the one asked: neither matched nor returned (PS3.4 C.2.2.1)
            }
            if (key is null)
            {
                bool matchable = HeaderMatching.CanMatch(element) && _options.StoreRoot is not null;
                if (HeaderMatching.HasValue(element))
                {
                    (matchable ? plan.HeaderMatches : []).Add(element);
                    if (!matchable)
                    {
                        plan.Unsupported.Add(tag);
                    }
                }
                if (_options.StoreRoot is not null)
                {
                    plan.HeaderKeys.Add(element);
                }
                plan.Returned.Add((tag, element.VR, null));
                continue;
            }
            if (element is DicomValueElement && identifier.GetString(tag) is { Length: > 0 } value
                && MatchCondition.Build(key, value, _options, plan.Parameters) is { } condition)
            {
                plan.Conditions.Add(condition);
            }
            plan.Returned.Add((tag, key.VR, key));
        }
        return plan;
    }

    /// <summary>A patient's counts in a restricted scope count only the studies in it (else they would tell of the others).</summary>
    private static IndexedKey? Scoped(IndexedKey? key, StudyScope? scope, List<(string Name, object Value)> parameters)
    {
        const string OfPatient = "x.patient_ref = p.id";
        if (key is null || key.Level != QueryLevel.Patient || !key.Column.Contains(OfPatient, StringComparison.Ordinal)
            || StudyScopeCondition.For(scope, "x", parameters) is not { } inScope)
        {
            return key;
        }
        return key with { Column = key.Column.Replace(OfPatient, OfPatient + " AND " + inScope, StringComparison.Ordinal) };
    }

    /// <summary>The stored path of the instance whose header answers for an entity of this level: itself, or the entity's first stored instance.</summary>
    private static string FirstInstancePath(QueryLevel level, StudyScope? scope, List<(string Name, object Value)> parameters) => level switch
    {
        QueryLevel.Image => "i.path",
        QueryLevel.Series => "(SELECT x.path FROM instances x WHERE x.series_ref = se.id ORDER BY x.id LIMIT 1)",
        QueryLevel.Study => "(SELECT x.path FROM series y JOIN instances x ON x.series_ref = y.id WHERE y.study_ref = st.id ORDER BY x.id LIMIT 1)",
        // A patient's header comes from one of the studies in scope: another study's header could tell what the scope hides.
        _ => "(SELECT x.path FROM studies z JOIN series y ON y.study_ref = z.id JOIN instances x ON x.series_ref = y.id WHERE z.patient_ref = p.id"
            + (StudyScopeCondition.For(scope, "z", parameters) is { } inScope ? " AND " + inScope : "") + " ORDER BY x.id LIMIT 1)",
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

    private IEnumerable<DicomDataset> Read(string sql, QueryLevel level, QueryPlan plan)
    {
        using var connection = index.OpenConnection();
        using var command = connection.CreateCommand();
        // Matches are filtered after SQL when some keys are matched on headers, so the limit is counted here.
        command.CommandText = plan.HeaderMatches.Count > 0 ? sql : sql + " LIMIT " + _options.MaxMatches.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in plan.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var indexed = plan.Returned.Where(r => r.Key is not null).ToList();
        int matches = 0;
        while (matches < _options.MaxMatches && reader.Read())
        {
            HeaderProjection.Staged? staged = null;
            if (plan.HeaderKeys.Count > 0)
            {
                var header = reader.IsDBNull(indexed.Count) ? null : ReadHeader(reader.GetString(indexed.Count));
                if (plan.HeaderMatches.Count > 0
                    && (header is null || !plan.HeaderMatches.All(k => HeaderMatching.Matches(plan.Identifier, k, header, _options))))
                {
                    continue; // an unreadable header cannot be shown to match; integrity checks report the file
                }
                staged = header is null ? null : Project(plan.HeaderKeys, header);
            }
            matches++;
            yield return Match(reader, level, indexed, plan, staged);
        }
    }

    /// <summary>The header of a stored instance, or null when it cannot be read.</summary>
    private DicomDataset? ReadHeader(string relativePath)
    {
        try
        {
            return DicomFile.Open(Path.Combine(_options.StoreRoot!, relativePath), Dicom.IO.DicomReadOptions.HeaderOnly).Dataset;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.IO.DicomReadException)
        {
            return null;
        }
    }

    private HeaderProjection.Staged Project(List<DicomElement> keys, DicomDataset header)
    {
        var staged = new HeaderProjection.Staged();
        foreach (var key in keys)
        {
            HeaderProjection.Copy(key, header, staged.Dataset, _options, staged);
        }
        return staged;
    }

    private DicomDataset Match(SqliteDataReader reader, QueryLevel level, List<(DicomTag Tag, DicomVR VR, IndexedKey? Key)> indexed, QueryPlan plan, HeaderProjection.Staged? staged)
    {
        var values = new string?[indexed.Count];
        bool ascii = staged?.Ascii ?? true;
        for (int i = 0; i < indexed.Count; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            ascii &= values[i] is null || Ascii.IsValid(values[i]);
        }
        var match = new DicomDataset();
        if (!ascii)
        {
            // The index holds decoded text, and header values are decoded too: anything beyond ASCII goes back as UTF-8 (PS3.5 §6.1.2.5.3).
            match.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }
        match.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level == QueryLevel.Image ? "IMAGE" : level.ToString().ToUpperInvariant());
        if (plan.RetrieveAETitle)
        {
            match.SetString(DicomTags.RetrieveAETitle, DicomVR.AE, _options.RetrieveAETitle);
        }
        for (int i = 0; i < indexed.Count; i++)
        {
            Set(match, indexed[i].Tag, indexed[i].VR, values[i]);
        }
        foreach (var element in staged?.TakeElements() ?? [])
        {
            match.AddOrReplace(element); // encoded as UTF-8, which is also ASCII when the answer has no character set
        }
        foreach (var (tag, vr, key) in plan.Returned)
        {
            if (key is null && !match.Contains(tag))
            {
                // A return key neither the index nor the header holds: returned empty (PS3.4 C.4.1.1.3.2).
                HeaderProjection.SetEmpty(match, tag, vr);
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
