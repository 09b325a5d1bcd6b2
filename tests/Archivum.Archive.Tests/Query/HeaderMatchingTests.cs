using Archivum.Archive.Ingest;
using Archivum.Archive.Query;
using Archivum.Archive.Tests.Support;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Tests.Query;

/// <summary>
/// Keys the index does not hold, sequences above all (PS3.4 C.2.2.2.6), matched and returned from
/// the stored headers of pydicom's corpus files. The values asserted are those pydicom reads
/// from the same files (its dcmread of each file lists them).
/// </summary>
public sealed class HeaderMatchingTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly string[] Files = ["CT_small.dcm", "JPEG2000.dcm", "693_J2KI.dcm", "test-SR.dcm", "reportsi.dcm", "MR_small.dcm"];

    private readonly TestArchive _archive = new();

    private readonly Dictionary<string, DicomDataset> _headers = [];

    public async Task InitializeAsync()
    {
        var ingest = new InstanceIngest(_archive.Store, _archive.Index);
        foreach (string name in Files)
        {
            string path = Path.Combine(TestArchive.Corpus, name);
            await using (var file = File.OpenRead(path))
            {
                Assert.Equal(IngestOutcome.Stored, await ingest.IngestFileAsync(file, "MODALITY", CancellationToken.None));
            }
            _headers[name] = DicomFile.Open(path, Dicom.IO.DicomReadOptions.HeaderOnly).Dataset;
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the archive goes with DisposeAsync below

    public ValueTask DisposeAsync() => _archive.DisposeAsync();

    private ArchiveQuery Query(int maxMatches = 100_000) => new(_archive.Index, new ArchiveQueryOptions { StoreRoot = _archive.Store.Root, MaxMatches = maxMatches });

    private string Uid(string file, DicomTag tag) => _headers[file].GetString(tag)!;

    /// <summary>An identifier at <paramref name="level"/> with one sequence key whose single item holds <paramref name="itemKeys"/>.</summary>
    private static DicomDataset SequenceKey(string level, DicomTag sequence, params (DicomTag Tag, string Value)[] itemKeys)
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level);
        var item = new DicomDataset();
        identifier.SetSequence(sequence, item);
        foreach (var (tag, value) in itemKeys)
        {
            item.SetString(tag, DicomDictionary.GetImplicitVR(tag), value);
        }
        return identifier;
    }

    private List<DicomDataset> Find(DicomDataset identifier, QueryModel model = QueryModel.StudyRoot, int maxMatches = 100_000)
    {
        var result = Query(maxMatches).Find(model, identifier);
        Assert.Empty(result.UnsupportedMatchingKeys);
        return result.Matches.ToList();
    }

    private static string[] Values(IEnumerable<DicomDataset> matches, DicomTag tag) => matches.Select(m => m.GetString(tag)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_code_sequence_item_matches_at_image_and_study_level()
    {
        var images = Find(SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040"), (DicomTags.CodingSchemeDesignator, "DCM")));
        Assert.Equal(Values([_headers["JPEG2000.dcm"], _headers["693_J2KI.dcm"]], DicomTags.SOPInstanceUID), Values(images, DicomTags.SOPInstanceUID));

        var studies = Find(SequenceKey("STUDY", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040")));
        Assert.Equal(Values([_headers["JPEG2000.dcm"], _headers["693_J2KI.dcm"]], DicomTags.StudyInstanceUID), Values(studies, DicomTags.StudyInstanceUID));

        Assert.Empty(Find(SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040"), (DicomTags.CodingSchemeDesignator, "SRT"))));
    }

    [Fact]
    public void Item_keys_match_by_wildcard_and_the_answer_holds_the_matching_items_with_the_asked_keys_only()
    {
        var matches = Find(SequenceKey("IMAGE", DicomTags.ConceptNameCodeSequence, (DicomTags.CodeValue, "IHE*"), (DicomTags.CodeMeaning, "")));
        var match = Assert.Single(matches);
        Assert.Equal(Uid("reportsi.dcm", DicomTags.SOPInstanceUID), match.GetString(DicomTags.SOPInstanceUID));
        var item = Assert.Single(match.GetSequence(DicomTags.ConceptNameCodeSequence));
        Assert.Equal("IHE.01", item.GetString(DicomTags.CodeValue));
        Assert.Equal("Document Title", item.GetString(DicomTags.CodeMeaning));
        Assert.False(item.Contains(DicomTags.CodingSchemeDesignator)); // stored, but not asked for

        // Of CT_small's two Other Patient IDs, only the matching item comes back.
        var patient = Assert.Single(Find(SequenceKey("PATIENT", DicomTags.OtherPatientIDsSequence, (DicomTags.PatientID, "ABCD1234"), (DicomTags.TypeOfPatientID, "")), QueryModel.PatientRoot));
        Assert.Equal(Uid("CT_small.dcm", DicomTags.PatientID), patient.GetString(DicomTags.PatientID));
        var other = Assert.Single(patient.GetSequence(DicomTags.OtherPatientIDsSequence));
        Assert.Equal(("ABCD1234", "TEXT"), (other.GetString(DicomTags.PatientID), other.GetString(DicomTags.TypeOfPatientID)));
    }

    [Fact]
    public void Person_names_in_items_match_regardless_of_case_and_come_back_in_UTF8_dates_by_range()
    {
        var match = Assert.Single(Find(SequenceKey("IMAGE", DicomTags.VerifyingObserverSequence, (DicomTags.VerifyingObserverName, "riesmeier*"), (DicomTags.VerificationDateTime, "2001-20010213184746"))));
        Assert.Equal("ISO_IR 192", match.GetString(DicomTags.SpecificCharacterSet));
        var names = match.GetSequence(DicomTags.VerifyingObserverSequence).Select(i => i.GetString(DicomTags.VerifyingObserverName)).ToArray();
        Assert.Contains("Riesmeier^Jörg", names);
        Assert.Equal(_headers["test-SR.dcm"].GetSequence(DicomTags.VerifyingObserverSequence)[0].GetString(DicomTags.VerifyingObserverName), names[0]);

        Assert.Empty(Find(SequenceKey("IMAGE", DicomTags.VerifyingObserverSequence, (DicomTags.VerificationDateTime, "20010213184747-"))));
        Assert.Empty(Find(SequenceKey("IMAGE", DicomTags.VerifyingObserverSequence, (DicomTags.VerifyingObserverName, "Riesmeier^Jorg"))));
    }

    [Fact]
    public void A_sequence_asked_without_item_keys_comes_back_whole_and_a_plain_key_the_index_lacks_is_matched_too()
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "IMAGE");
        identifier.SetString(DicomTags.Manufacturer, DicomVR.LO, Uid("CT_small.dcm", DicomTags.Manufacturer));
        identifier.SetSequence(DicomTags.OtherPatientIDsSequence);
        var match = Assert.Single(Find(identifier));
        Assert.Equal(Uid("CT_small.dcm", DicomTags.SOPInstanceUID), match.GetString(DicomTags.SOPInstanceUID));
        var stored = _headers["CT_small.dcm"].GetSequence(DicomTags.OtherPatientIDsSequence);
        var returned = match.GetSequence(DicomTags.OtherPatientIDsSequence);
        Assert.Equal(stored.Select(i => i.GetString(DicomTags.PatientID)), returned.Select(i => i.GetString(DicomTags.PatientID)));
        Assert.Equal(stored.Select(i => i.Count), returned.Select(i => i.Count));
    }

    [Fact]
    public void The_match_limit_counts_what_the_headers_let_through()
    {
        var identifier = SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040"));
        Assert.Single(Find(identifier, maxMatches: 1));
    }

    [Fact]
    public void An_instance_whose_file_cannot_be_read_is_not_shown_to_match()
    {
        string path = _archive.Rows($"SELECT path FROM instances WHERE sop_instance_uid = '{Uid("JPEG2000.dcm", DicomTags.SOPInstanceUID)}'")[0][0];
        File.Delete(Path.Combine(_archive.Store.Root, path));
        var images = Find(SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040")));
        Assert.Equal([Uid("693_J2KI.dcm", DicomTags.SOPInstanceUID)], Values(images, DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Malformed_sequence_keys_are_refused_and_without_a_store_they_are_reported_unsupported()
    {
        var twoItems = SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040"));
        twoItems.Get<DicomSequence>(DicomTags.DerivationCodeSequence)!.Items.Add(new DicomDataset());
        Assert.Contains("single item", Assert.Throws<QueryException>(() => Query().Find(QueryModel.StudyRoot, twoItems)).Message, StringComparison.Ordinal);

        var badDate = SequenceKey("IMAGE", DicomTags.VerifyingObserverSequence, (DicomTags.VerificationDateTime, "yesterday"));
        Assert.Throws<QueryException>(() => Query().Find(QueryModel.StudyRoot, badDate).Matches.ToList());

        var indexOnly = new ArchiveQuery(_archive.Index).Find(QueryModel.StudyRoot, SequenceKey("IMAGE", DicomTags.DerivationCodeSequence, (DicomTags.CodeValue, "113040")));
        Assert.Equal([DicomTags.DerivationCodeSequence], indexOnly.UnsupportedMatchingKeys);
        Assert.Equal(Files.Length, indexOnly.Matches.Count());
    }
}
