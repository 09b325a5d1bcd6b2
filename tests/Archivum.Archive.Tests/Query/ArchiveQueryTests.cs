using Archivum.Archive.Index;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Tests.Query;

/// <summary>PS3.4 C.2.2.2 matching over a small hand-made archive whose answers are known.</summary>
public sealed class ArchiveQueryTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-query-").FullName;
    private ArchiveIndex _index = null!;

    public async Task InitializeAsync()
    {
        _index = ArchiveIndex.Open(Path.Combine(_dir, "index.db"));
        await Add("P1", "Doe^Jane", "1.1", "20240115", "083000", "ACC-1", "1.1.1", "CT", "1.1.1.1");
        await Add("P1", "Doe^Jane", "1.1", "20240115", "083000", "ACC-1", "1.1.1", "CT", "1.1.1.2");
        await Add("P1", "Doe^Jane", "1.1", "20240115", "083000", "ACC-1", "1.1.2", "PR", "1.1.2.1");
        await Add("P2", "Müller^Jürgen", "1.2", "20240301", "1415", "ACC-2", "1.2.1", "MR", "1.2.1.1");
        await Add("P3", "doe^john", "1.3", "20231231", "235959.5", "X[1]", "1.3.1", "CT", "1.3.1.1");
    }

    public async Task DisposeAsync()
    {
        await _index.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<IndexOutcome> Add(string patientId, string name, string study, string date, string time, string accession, string series, string modality, string instance) =>
        _index.Writer.AddAsync(new InstanceRecord
        {
            PatientId = patientId, PatientName = name, StudyInstanceUid = study, StudyDate = date, StudyTime = time, AccessionNumber = accession,
            SeriesInstanceUid = series, Modality = modality, SopInstanceUid = instance, SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            TransferSyntaxUid = "1.2.840.10008.1.2.1", RelativePath = instance, Length = 10, Sha256 = new string('0', 64),
        });

    private static DicomDataset Identifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level);
        foreach (var (tag, value) in keys)
        {
            identifier.SetString(tag, DicomDictionary.GetImplicitVR(tag), value);
        }
        return identifier;
    }

    private string[] Studies(params (DicomTag Tag, string Value)[] keys) =>
        new ArchiveQuery(_index).Find(QueryModel.StudyRoot, Identifier("STUDY", keys)).Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)!).Order().ToArray();

    [Theory]
    [InlineData("Doe^Jane", new[] { "1.1" })]
    [InlineData("doe*", new[] { "1.1", "1.3" })]             // wildcard, case-insensitive by default
    [InlineData("D?E^J*", new[] { "1.1", "1.3" })]
    [InlineData("müller*", new[] { "1.2" })]                  // beyond ASCII too
    [InlineData("*", new[] { "1.1", "1.2", "1.3" })]
    [InlineData("", new[] { "1.1", "1.2", "1.3" })]
    [InlineData("Nobody", new string[0])]
    public void Person_names_match_by_value_and_wildcard_regardless_of_case(string pattern, string[] expected) =>
        Assert.Equal(expected, Studies((DicomTags.PatientName, pattern)));

    [Fact]
    public void Case_sensitive_person_names_when_configured()
    {
        var query = new ArchiveQuery(_index, new ArchiveQueryOptions { CaseInsensitivePersonNames = false });
        var matches = query.Find(QueryModel.StudyRoot, Identifier("STUDY", (DicomTags.PatientName, "doe*"))).Matches.ToList();
        Assert.Equal("1.3", Assert.Single(matches).GetString(DicomTags.StudyInstanceUID));
    }

    [Theory]
    [InlineData("20240115", new[] { "1.1" })]
    [InlineData("20240101-20240228", new[] { "1.1" })]
    [InlineData("20240101-", new[] { "1.1", "1.2" })]
    [InlineData("-20231231", new[] { "1.3" })]
    [InlineData("2023.12.31", new[] { "1.3" })]
    public void Dates_match_by_value_and_range(string value, string[] expected) =>
        Assert.Equal(expected, Studies((DicomTags.StudyDate, value)));

    [Theory]
    [InlineData("0830", new[] { "1.1" })]                   // a partial time names its whole minute
    [InlineData("1400-1500", new[] { "1.2" })]
    [InlineData("2359-", new[] { "1.3" })]
    [InlineData("-0900", new[] { "1.1" })]
    public void Times_match_by_value_and_range_whatever_the_stored_precision(string value, string[] expected) =>
        Assert.Equal(expected, Studies((DicomTags.StudyTime, value)));

    [Fact]
    public void UID_lists_wildcard_brackets_empty_values_and_modalities_in_study()
    {
        Assert.Equal(["1.1", "1.3"], Studies((DicomTags.StudyInstanceUID, "1.1\\1.3")));
        Assert.Equal(["1.3"], Studies((DicomTags.AccessionNumber, "X[1]*")));
        Assert.Equal(["1.1", "1.3"], Studies((DicomTags.ModalitiesInStudy, "CT")));
        Assert.Equal(["1.1", "1.2"], Studies((DicomTags.ModalitiesInStudy, "PR\\MR")));
        Assert.Empty(Studies((DicomTags.AccessionNumber, "\"\"")));
        Assert.Equal(["1.1", "1.2", "1.3"], Studies((DicomTags.StudyDescription, "\"\""))); // none has one
    }

    [Fact]
    public void Return_keys_come_back_with_the_index_values_and_the_derived_ones()
    {
        var match = Assert.Single(new ArchiveQuery(_index).Find(QueryModel.StudyRoot, Identifier("STUDY",
            (DicomTags.StudyInstanceUID, "1.1"), (DicomTags.PatientName, ""), (DicomTags.ModalitiesInStudy, ""),
            (DicomTags.NumberOfStudyRelatedSeries, ""), (DicomTags.NumberOfStudyRelatedInstances, ""), (DicomTags.StudyDescription, ""),
            (DicomTags.PerformedProcedureStepID, ""))).Matches);
        Assert.Equal("STUDY", match.GetString(DicomTags.QueryRetrieveLevel));
        Assert.Equal("Doe^Jane", match.GetString(DicomTags.PatientName));
        Assert.Equal(["CT", "PR"], match.GetStrings(DicomTags.ModalitiesInStudy));
        Assert.Equal("2", match.GetString(DicomTags.NumberOfStudyRelatedSeries));
        Assert.Equal("3", match.GetString(DicomTags.NumberOfStudyRelatedInstances));
        Assert.True(match.Contains(DicomTags.StudyDescription));
        Assert.Equal("", match.GetString(DicomTags.StudyDescription));
        Assert.True(match.Contains(DicomTags.PerformedProcedureStepID)); // not indexed: returned empty
        Assert.False(match.Contains(DicomTags.SpecificCharacterSet));  // all ASCII
    }

    [Fact]
    public void Text_beyond_ASCII_comes_back_in_UTF8()
    {
        var match = Assert.Single(new ArchiveQuery(_index).Find(QueryModel.StudyRoot, Identifier("STUDY", (DicomTags.PatientName, "M*"))).Matches);
        Assert.Equal("ISO_IR 192", match.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", match.GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task A_study_keeps_the_patient_name_it_came_with_when_its_Patient_ID_is_known_under_another()
    {
        await Add("P1", "Doe-Smith^Jane", "1.4", "20240401", "1000", "ACC-4", "1.4.1", "CT", "1.4.1.1");
        var query = new ArchiveQuery(_index);
        Assert.Equal(["1.4"], Studies((DicomTags.PatientName, "Doe-Smith*")));
        Assert.Equal(["1.1"], Studies((DicomTags.PatientName, "Doe^Jane")));
        var patient = Assert.Single(query.Find(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTags.PatientID, "P1"), (DicomTags.PatientName, ""))).Matches);
        Assert.Equal("Doe^Jane", patient.GetString(DicomTags.PatientName)); // the patient keeps the first name; the conflict is recorded
    }

    [Fact]
    public void Every_level_of_the_patient_root_model()
    {
        var query = new ArchiveQuery(_index);
        Assert.Equal(["P1", "P2", "P3"], query.Find(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTags.PatientID, ""))).Matches.Select(m => m.GetString(DicomTags.PatientID)!).Order());
        var series = query.Find(QueryModel.PatientRoot, Identifier("SERIES", (DicomTags.PatientID, "P1"), (DicomTags.Modality, "CT"), (DicomTags.NumberOfSeriesRelatedInstances, ""))).Matches.ToList();
        var ct = Assert.Single(series);
        Assert.Equal("1.1.1", ct.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal("1.1", ct.GetString(DicomTags.StudyInstanceUID)); // unique keys of the levels above
        Assert.Equal("2", ct.GetString(DicomTags.NumberOfSeriesRelatedInstances));
        var images = query.Find(QueryModel.PatientRoot, Identifier("IMAGE", (DicomTags.SeriesInstanceUID, "1.1.1"))).Matches.Select(m => m.GetString(DicomTags.SOPInstanceUID)).ToList();
        Assert.Equal(["1.1.1.1", "1.1.1.2"], images);
    }

    [Fact]
    public void A_key_the_index_cannot_match_is_reported_and_a_malformed_query_refused()
    {
        var query = new ArchiveQuery(_index);
        var result = query.Find(QueryModel.StudyRoot, Identifier("STUDY", (DicomTags.PerformedProcedureStepID, "X*")));
        Assert.Equal([DicomTags.PerformedProcedureStepID], result.UnsupportedMatchingKeys);
        Assert.Equal(3, result.Matches.Count());

        Assert.Contains("not a date", Assert.Throws<QueryException>(() => query.Find(QueryModel.StudyRoot, Identifier("STUDY", (DicomTags.StudyDate, "notadate")))).Message, StringComparison.Ordinal);
        Assert.Contains("no PATIENT level", Assert.Throws<QueryException>(() => query.Find(QueryModel.StudyRoot, Identifier("PATIENT"))).Message, StringComparison.Ordinal);
        Assert.Contains("wildcards", Assert.Throws<QueryException>(() => query.Find(QueryModel.StudyRoot, Identifier("STUDY", (DicomTags.StudyInstanceUID, "1.*")))).Message, StringComparison.Ordinal);
        Assert.Contains("Query/Retrieve Level", Assert.Throws<QueryException>(() => query.Find(QueryModel.StudyRoot, Identifier("WARD"))).Message, StringComparison.Ordinal);
    }
}
