using Archivum.Archive.Privacy;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Tests.Privacy;

/// <summary>The Annex E engine on data sets built here, for the cases the corpus does not reach (deep nesting, SR content trees, option precedence).</summary>
public sealed class DeidentifierTests
{
    private static readonly PseudonymKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void The_table_holds_the_standards_rows_and_resolves_compound_codes_and_options()
    {
        var table = ConfidentialityProfileTable.Standard;
        Assert.Equal(459, table.Count);
        var basic = table.For(ConfidentialityOptions.None);
        Assert.Equal(ProfileAction.Empty, Action(basic, DicomTags.PatientName));          // Z
        Assert.Equal(ProfileAction.Dummy, Action(basic, DicomTags.OperatorsName));        // X/Z/D: a dummy keeps a type 1 valid
        Assert.Equal(ProfileAction.Empty, Action(basic, DicomTags.ReferencedStudySequence)); // X/Z
        Assert.Equal(ProfileAction.ReplaceUid, Action(basic, DicomTags.SOPInstanceUID));  // U
        Assert.Equal(ProfileAction.Remove, Action(basic, DicomTags.OtherPatientIDsSequence));
        Assert.Equal(ProfileAction.Remove, Action(basic, new DicomTag(0x6002, 0x3000)));  // 60xx3000, a repeating group
        Assert.Equal(ProfileAction.Empty, Action(basic, DicomTags.TreatmentMachineName));  // X, but type 2 in RT Beams
        Assert.False(basic.TryGetAction(DicomTags.Modality, out _));

        Assert.Equal(ProfileAction.Keep, Action(table.For(ConfidentialityOptions.RetainLongitudinalFullDates), DicomTags.StudyDate));
        Assert.Equal(ProfileAction.Clean, Action(table.For(ConfidentialityOptions.RetainLongitudinalModifiedDates), DicomTags.StudyDate));
        Assert.Equal(ProfileAction.Keep, Action(table.For(ConfidentialityOptions.RetainUids), DicomTags.SOPInstanceUID));
        Assert.Equal(ProfileAction.Keep, Action(table.For(ConfidentialityOptions.RetainDeviceIdentity), DicomTags.TreatmentMachineName));
        Assert.Equal(ProfileAction.Remove, Action(basic, DicomTags.Allergies));
        Assert.Equal(ProfileAction.Clean, Action(table.For(ConfidentialityOptions.RetainPatientCharacteristics), DicomTags.Allergies));
        Assert.Equal(ProfileAction.Keep, Action(table.For(ConfidentialityOptions.RetainPatientCharacteristics), DicomTags.PatientSex));
    }

    [Fact]
    public void Nested_items_are_de_identified_at_every_depth_with_the_same_pseudonyms()
    {
        var dataset = Instance();
        var inner = new DicomDataset();
        inner.SetString(DicomTags.PatientName, "Doe^Jane");
        inner.SetString(DicomTags.ReferencedSOPInstanceUID, "1.2.3.4.5.6");
        inner.SetString(DicomTags.InstitutionName, "Hospital of Somewhere");
        inner.SetString(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME");
        inner.SetString(new DicomTag(0x0009, 0x1001), DicomVR.LO, "Jane Doe's private note");
        inner.SetString(DicomTags.RadiopharmaceuticalStartDateTime, "20200304101500");
        var middle = new DicomDataset();
        middle.SetSequence(DicomTags.RadiopharmaceuticalInformationSequence, inner);
        dataset.SetSequence(DicomTags.RadiopharmaceuticalInformationSequence, middle);

        new Deidentifier(DeidentificationProfile.Basic, Key).Deidentify(dataset);

        var item = dataset.GetSequence(DicomTags.RadiopharmaceuticalInformationSequence)[0].GetSequence(DicomTags.RadiopharmaceuticalInformationSequence)[0];
        Assert.Equal(dataset.GetString(DicomTags.PatientName), item.GetString(DicomTags.PatientName));
        Assert.StartsWith("ANONYMOUS^", item.GetString(DicomTags.PatientName), StringComparison.Ordinal);
        Assert.Equal(Key.Uid("1.2.3.4.5.6"), item.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(Key.Uid("1.2.3.4.5.6"), dataset.GetString(DicomTags.SOPInstanceUID)); // the same UID maps alike wherever it is
        Assert.Equal("ANONYMIZED", item.GetString(DicomTags.InstitutionName));            // X/Z/D
        Assert.DoesNotContain(item, e => e.Tag.IsPrivate);
        Assert.Equal("19000101000000", item.GetString(DicomTags.RadiopharmaceuticalStartDateTime)); // a date the table does not list
        Assert.Equal("YES", dataset.GetString(DicomTags.PatientIdentityRemoved));
        Assert.Equal("REMOVED", dataset.GetString(DicomTags.LongitudinalTemporalInformationModified));
    }

    [Fact]
    public void An_sr_content_tree_keeps_its_shape_with_its_values_replaced()
    {
        var dataset = Report();
        new Deidentifier(DeidentificationProfile.Basic, Key).Deidentify(dataset);
        var items = dataset.GetSequence(DicomTags.ContentSequence);
        Assert.Equal("ANONYMIZED", items[0].GetString(DicomTags.TextValue));
        Assert.Equal("ANONYMOUS", items[1].GetString(DicomTags.PersonName));
        Assert.Equal("19000101", items[2].GetString(DicomTags.Date));
        Assert.Equal("TEXT", items[0].GetString(DicomTags.ValueType)); // the tree's structure stays
    }

    [Fact]
    public void Clean_structured_content_and_modified_dates_keep_the_text_without_its_identities()
    {
        var dataset = Report();
        var profile = DeidentificationProfile.Parse("clean-structured-content,clean-descriptors,retain-modified-dates");
        new Deidentifier(profile, Key).Deidentify(dataset);
        int shift = Key.DateShiftDays("PID-0042");
        var items = dataset.GetSequence(DicomTags.ContentSequence);
        Assert.Equal("Seen by Dr *** *** on ***, lesion stable", items[0].GetString(DicomTags.TextValue));
        Assert.Equal(new DateOnly(2021, 5, 6).AddDays(shift).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), items[2].GetString(DicomTags.Date));
        Assert.Equal(new DateOnly(2021, 5, 7).AddDays(shift).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), dataset.GetString(DicomTags.StudyDate));
        Assert.Equal("CT head for *** ***", dataset.GetString(DicomTags.StudyDescription));
        Assert.Equal("MODIFIED", dataset.GetString(DicomTags.LongitudinalTemporalInformationModified));
        Assert.Equal(["113100", "113104", "113105", "113107"], dataset.GetSequence(DicomTags.DeidentificationMethodCodeSequence).Select(i => i.GetString(DicomTags.CodeValue)));
    }

    [Fact]
    public void Retain_safe_private_keeps_exactly_the_private_attributes_of_table_e_3_10_1_with_their_creators()
    {
        DicomDataset Make()
        {
            var dataset = Instance();
            dataset.SetString(new DicomTag(0x0019, 0x0010), DicomVR.LO, "GEMS_ACQU_01");
            dataset.SetString(new DicomTag(0x0019, 0x1023), DicomVR.DS, "12.5");       // Table Speed: safe
            dataset.SetString(new DicomTag(0x0019, 0x1099), DicomVR.LO, "Jane Doe");   // not in the table
            dataset.SetString(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME 1.0");
            dataset.SetString(new DicomTag(0x0009, 0x1023), DicomVR.LO, "Jane Doe");   // same element byte, unknown creator
            dataset.SetString(new DicomTag(0x0011, 0x0010), DicomVR.LO, "GEMS_ACQU_01");
            dataset.SetString(new DicomTag(0x0011, 0x1023), DicomVR.DS, "3");          // a known creator in another group: not listed
            return dataset;
        }
        Assert.True(SafePrivateAttributes.Standard.Count > 400);
        var kept = Make();
        new Deidentifier(DeidentificationProfile.Parse("retain-safe-private"), Key).Deidentify(kept);
        Assert.Equal([new DicomTag(0x0019, 0x0010), new DicomTag(0x0019, 0x1023)], kept.Where(e => e.Tag.IsPrivate).Select(e => e.Tag));
        Assert.Equal("12.5", kept.GetString(new DicomTag(0x0019, 0x1023)));
        Assert.Contains("113111", kept.GetSequence(DicomTags.DeidentificationMethodCodeSequence).Select(i => i.GetString(DicomTags.CodeValue)));

        var basic = Make();
        new Deidentifier(DeidentificationProfile.Basic, Key).Deidentify(basic);
        Assert.DoesNotContain(basic, e => e.Tag.IsPrivate);
    }

    [Fact]
    public void Burned_in_annotation_is_refused_unless_allowed()
    {
        var dataset = Instance();
        dataset.SetString(DicomTags.BurnedInAnnotation, "YES");
        Assert.Throws<DeidentificationRefusedException>(() => new Deidentifier(DeidentificationProfile.Basic, Key).Deidentify(dataset));
        Assert.Equal("PID-0042", dataset.GetString(DicomTags.PatientID)); // nothing was changed
        new Deidentifier(DeidentificationProfile.Basic with { AllowBurnedInAnnotation = true }, Key).Deidentify(dataset);
        Assert.NotEqual("PID-0042", dataset.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Pseudonyms_are_keyed_valid_and_stable()
    {
        string uid = Key.Uid("1.2.840.113619.2.1.1");
        Assert.True(DicomUid.IsValid(uid));
        Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
        Assert.Equal(uid, Key.Uid("1.2.840.113619.2.1.1"));
        Assert.NotEqual(uid, PseudonymKey.Create().Uid("1.2.840.113619.2.1.1"));
        Assert.NotEqual(Key.Code("patient", "A"), Key.Code("patient", "B"));
        Assert.InRange(Key.DateShiftDays("A"), -3652, -1);
        Assert.Throws<ArgumentException>(() => PseudonymKey.FromHex("abc"));
    }

    private static ProfileAction Action(ConfidentialityRules rules, DicomTag tag) =>
        rules.TryGetAction(tag, out var action) ? action : throw new InvalidOperationException($"{tag} not in the table");

    private static DicomDataset Instance()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        dataset.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.5.6");
        dataset.SetString(DicomTags.StudyDate, "20210507");
        dataset.SetString(DicomTags.StudyDescription, "CT head for Jane Doe");
        dataset.SetString(DicomTags.PatientName, "Doe^Jane");
        dataset.SetString(DicomTags.PatientID, "PID-0042");
        dataset.SetString(DicomTags.StudyInstanceUID, "1.2.3.4");
        dataset.SetString(DicomTags.SeriesInstanceUID, "1.2.3.4.5");
        return dataset;
    }

    private static DicomDataset Report()
    {
        var dataset = Instance();
        var text = new DicomDataset();
        text.SetString(DicomTags.ValueType, "TEXT");
        text.SetString(DicomTags.TextValue, "Seen by Dr Jane Doe on 2021-05-06, lesion stable");
        var person = new DicomDataset();
        person.SetString(DicomTags.ValueType, "PNAME");
        person.SetString(DicomTags.PersonName, "Doe^Jane");
        var date = new DicomDataset();
        date.SetString(DicomTags.ValueType, "DATE");
        date.SetString(DicomTags.Date, "20210506");
        dataset.SetSequence(DicomTags.ContentSequence, text, person, date);
        return dataset;
    }
}
