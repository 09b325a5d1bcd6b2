using System.Globalization;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Microsoft.Extensions.Primitives;

namespace Archivum.DicomWeb;

/// <summary>
/// A QIDO-RS search (PS3.18 §8.3.4, §10.6) turned into a C-FIND identifier for the archive's
/// query: attribute matching by keyword, tag or dotted sequence path with the C-FIND rules,
/// <c>includefield</c> (a list, or <c>all</c>), <c>fuzzymatching</c>, <c>limit</c> and
/// <c>offset</c>, the UIDs of the path, and the default return attributes of PS3.18 Table 10.6.3-3
/// to -5 for the level (with those of the levels above when the search is not under a study or
/// series). A malformed search throws <see cref="QidoException"/> with the reason (a 400).
/// </summary>
internal sealed class QidoRequest
{
    /// <summary>Most matches one search returns without a <c>limit</c>; the response says when there were more.</summary>
    public const int MaxResults = 10_000;

    private static readonly DicomTag[] StudyDefaults =
    [
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ModalitiesInStudy, DicomTags.ReferringPhysicianName,
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyID,
        DicomTags.StudyDescription, DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances,
    ];

    private static readonly DicomTag[] SeriesDefaults =
    [
        DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.SeriesInstanceUID, DicomTags.SeriesNumber, DicomTags.SeriesDate,
        DicomTags.SeriesTime, DicomTags.BodyPartExamined, DicomTags.NumberOfSeriesRelatedInstances,
    ];

    private static readonly DicomTag[] InstanceDefaults =
    [
        DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.InstanceNumber, DicomTags.Rows, DicomTags.Columns, DicomTags.NumberOfFrames,
        DicomTags.AvailableTransferSyntaxUID,
    ];

    private QidoRequest(QueryLevel level, DicomDataset identifier)
    {
        Level = level;
        Identifier = identifier;
    }

    public QueryLevel Level { get; }

    public DicomDataset Identifier { get; }

    /// <summary>The <c>limit</c> asked for, or null (then <see cref="MaxResults"/>).</summary>
    public int? Limit { get; private set; }

    public int Offset { get; private set; }

    /// <summary>
    /// Parses a search at <paramref name="level"/> under the UIDs of the path (a study, or a study
    /// and a series). Throws <see cref="QidoException"/> for a malformed parameter.
    /// </summary>
    public static QidoRequest Parse(QueryLevel level, IEnumerable<KeyValuePair<string, StringValues>> query, DicomTag[] pathTags, string[] pathUids)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(pathTags);
        ArgumentNullException.ThrowIfNull(pathUids);
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"); // query strings are UTF-8 (RFC 3986)
        var request = new QidoRequest(level, identifier);
        string levelName = level == QueryLevel.Image ? "IMAGE" : level.ToString().ToUpperInvariant();
        var keys = new List<string>();
        var returnKeys = new List<string>();
        bool fuzzy = false;
        foreach (var (name, values) in query)
        {
            switch (name)
            {
                case "limit":
                    request.Limit = Number(name, values, minimum: 1);
                    break;
                case "offset":
                    request.Offset = Number(name, values, minimum: 0);
                    break;
                case "fuzzymatching":
                    fuzzy = values.ToString() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new QidoException($"fuzzymatching must be true or false, not '{values}'"),
                    };
                    break;
                case "includefield":
                    returnKeys.AddRange(values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
                    break;
                default:
                    // A repeated attribute is a list of values, as backslashes are in C-FIND; UIDs may also
                    // be listed with commas (PS3.18 §8.3.4.1), which no UID contains.
                    keys.Add(name + "=" + string.Join('\\', IsUid(name) ? values.SelectMany(v => (v ?? "").Split(',')) : values));
                    break;
            }
        }
        try
        {
            QueryKeys.Add(identifier, levelName, keys);
            foreach (var tag in Defaults(level, pathTags.Length))
            {
                AddReturnKey(identifier, tag);
            }
            if (returnKeys.Remove("all"))
            {
                foreach (var key in IndexedKeys.All.Where(k => k.Level <= level))
                {
                    AddReturnKey(identifier, key.Tag);
                }
            }
            foreach (var key in QueryKeys.Add(new DicomDataset(), levelName, returnKeys))
            {
                // includefield names return keys only: whatever a matching key of the same attribute says stays.
                AddReturnKey(identifier, key);
            }
        }
        catch (ArgumentException e)
        {
            throw new QidoException($"the query parameter {e.Message}");
        }
        for (int i = 0; i < pathTags.Length; i++)
        {
            if (DicomUid.Validate(pathUids[i]) is { } reason)
            {
                throw new QidoException($"'{pathUids[i]}' in the path is not a UID: {reason}");
            }
            identifier.SetString(pathTags[i], DicomVR.UI, pathUids[i]);
        }
        if (fuzzy)
        {
            MakeNamesFuzzy(identifier);
        }
        return request;
    }

    private static bool IsUid(string attribute)
    {
        string last = attribute[(attribute.LastIndexOf('.') + 1)..];
        return (DicomDictionary.TryGetTag(last, out var tag) || DicomTag.TryParse(last, out tag)) && DicomDictionary.GetImplicitVR(tag) == DicomVR.UI;
    }

    private static IEnumerable<DicomTag> Defaults(QueryLevel level, int pathDepth) => level switch
    {
        QueryLevel.Study => StudyDefaults,
        QueryLevel.Series => pathDepth == 0 ? StudyDefaults.Concat(SeriesDefaults) : SeriesDefaults,
        _ => pathDepth switch
        {
            0 => StudyDefaults.Concat(SeriesDefaults).Concat(InstanceDefaults),
            1 => SeriesDefaults.Concat(InstanceDefaults),
            _ => InstanceDefaults,
        },
    };

    private static void AddReturnKey(DicomDataset identifier, DicomTag tag)
    {
        if (identifier.Contains(tag))
        {
            return;
        }
        var vr = DicomDictionary.GetImplicitVR(tag);
        if (vr == DicomVR.SQ)
        {
            identifier.SetSequence(tag);
        }
        else
        {
            identifier.SetBytes(tag, vr == DicomVR.None ? DicomVR.UN : vr, ReadOnlyMemory<byte>.Empty);
        }
    }

    /// <summary>
    /// fuzzymatching=true (PS3.18 §8.3.4.5 leaves the method to the origin server): a person name
    /// given without wildcards matches any name that contains it, regardless of case, so that
    /// "jane" finds "Doe^Jane".
    /// </summary>
    private static void MakeNamesFuzzy(DicomDataset identifier)
    {
        foreach (var element in identifier.Where(e => e.VR == DicomVR.PN).ToList())
        {
            string? value = identifier.GetString(element.Tag);
            if (value is { Length: > 0 } && value != "\"\"" && !value.Contains('*', StringComparison.Ordinal) && !value.Contains('?', StringComparison.Ordinal))
            {
                identifier.SetString(element.Tag, DicomVR.PN, "*" + value + "*");
            }
        }
    }

    private static int Number(string name, StringValues values, int minimum)
    {
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < minimum)
        {
            throw new QidoException($"{name} must be a whole number of at least {minimum}, not '{values}'");
        }
        return number;
    }
}
