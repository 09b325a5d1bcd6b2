using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// The attributes the index holds, per level (PS3.4 C.6.1.1: the required and unique keys of
/// each level, plus the optional ones viewers ask for most). Table aliases: p patients,
/// st studies, se series, i instances.
/// </summary>
public static class IndexedKeys
{
    public static IReadOnlyList<IndexedKey> All { get; } =
    [
        new(DicomTags.PatientName, DicomVR.PN, QueryLevel.Patient, "p.name", KeyMatching.PersonName, "p.name_upper", "st.patient_name", "st.patient_name_upper"),
        new(DicomTags.PatientID, DicomVR.LO, QueryLevel.Patient, "p.patient_id", KeyMatching.Text),
        new(DicomTags.IssuerOfPatientID, DicomVR.LO, QueryLevel.Patient, "p.issuer", KeyMatching.Text),
        new(DicomTags.PatientBirthDate, DicomVR.DA, QueryLevel.Patient, "p.birth_date", KeyMatching.Date, null, "st.patient_birth_date"),
        new(DicomTags.PatientSex, DicomVR.CS, QueryLevel.Patient, "p.sex", KeyMatching.Text, null, "st.patient_sex"),
        new(DicomTags.NumberOfPatientRelatedStudies, DicomVR.IS, QueryLevel.Patient, "(SELECT count(*) FROM studies x WHERE x.patient_ref = p.id)", KeyMatching.Derived),
        new(DicomTags.NumberOfPatientRelatedSeries, DicomVR.IS, QueryLevel.Patient, "(SELECT coalesce(sum(x.series_count), 0) FROM studies x WHERE x.patient_ref = p.id)", KeyMatching.Derived),
        new(DicomTags.NumberOfPatientRelatedInstances, DicomVR.IS, QueryLevel.Patient, "(SELECT coalesce(sum(x.instance_count), 0) FROM studies x WHERE x.patient_ref = p.id)", KeyMatching.Derived),

        new(DicomTags.StudyInstanceUID, DicomVR.UI, QueryLevel.Study, "st.study_uid", KeyMatching.Uid),
        new(DicomTags.StudyDate, DicomVR.DA, QueryLevel.Study, "st.study_date", KeyMatching.Date),
        new(DicomTags.StudyTime, DicomVR.TM, QueryLevel.Study, "st.study_time", KeyMatching.Time),
        new(DicomTags.AccessionNumber, DicomVR.SH, QueryLevel.Study, "st.accession_number", KeyMatching.Text),
        new(DicomTags.StudyID, DicomVR.SH, QueryLevel.Study, "st.study_id", KeyMatching.Text),
        new(DicomTags.StudyDescription, DicomVR.LO, QueryLevel.Study, "st.description", KeyMatching.Text),
        new(DicomTags.ReferringPhysicianName, DicomVR.PN, QueryLevel.Study, "st.referring_physician", KeyMatching.PersonName, "st.referring_physician_upper"),
        new(DicomTags.InstitutionName, DicomVR.LO, QueryLevel.Study, "st.institution", KeyMatching.Text),
        new(DicomTags.ModalitiesInStudy, DicomVR.CS, QueryLevel.Study, "st.modalities", KeyMatching.Derived),
        new(DicomTags.SOPClassesInStudy, DicomVR.UI, QueryLevel.Study, "st.sop_classes", KeyMatching.Derived),
        new(DicomTags.NumberOfStudyRelatedSeries, DicomVR.IS, QueryLevel.Study, "st.series_count", KeyMatching.Derived),
        new(DicomTags.NumberOfStudyRelatedInstances, DicomVR.IS, QueryLevel.Study, "st.instance_count", KeyMatching.Derived),

        new(DicomTags.SeriesInstanceUID, DicomVR.UI, QueryLevel.Series, "se.series_uid", KeyMatching.Uid),
        new(DicomTags.Modality, DicomVR.CS, QueryLevel.Series, "se.modality", KeyMatching.Text),
        new(DicomTags.SeriesNumber, DicomVR.IS, QueryLevel.Series, "se.series_number", KeyMatching.Number),
        new(DicomTags.SeriesDescription, DicomVR.LO, QueryLevel.Series, "se.description", KeyMatching.Text),
        new(DicomTags.SeriesDate, DicomVR.DA, QueryLevel.Series, "se.series_date", KeyMatching.Date),
        new(DicomTags.SeriesTime, DicomVR.TM, QueryLevel.Series, "se.series_time", KeyMatching.Time),
        new(DicomTags.BodyPartExamined, DicomVR.CS, QueryLevel.Series, "se.body_part", KeyMatching.Text),
        new(DicomTags.NumberOfSeriesRelatedInstances, DicomVR.IS, QueryLevel.Series, "se.instance_count", KeyMatching.Derived),

        new(DicomTags.SOPInstanceUID, DicomVR.UI, QueryLevel.Image, "i.sop_instance_uid", KeyMatching.Uid),
        new(DicomTags.SOPClassUID, DicomVR.UI, QueryLevel.Image, "i.sop_class_uid", KeyMatching.Uid),
        new(DicomTags.InstanceNumber, DicomVR.IS, QueryLevel.Image, "i.instance_number", KeyMatching.Number),
        new(DicomTags.NumberOfFrames, DicomVR.IS, QueryLevel.Image, "i.number_of_frames", KeyMatching.Number),
        new(DicomTags.Rows, DicomVR.US, QueryLevel.Image, "i.rows", KeyMatching.Derived),
        new(DicomTags.Columns, DicomVR.US, QueryLevel.Image, "i.columns", KeyMatching.Derived),
        new(DicomTags.AvailableTransferSyntaxUID, DicomVR.UI, QueryLevel.Image, "i.transfer_syntax", KeyMatching.Uid),
    ];

    private static readonly Dictionary<DicomTag, IndexedKey> ByTag = All.ToDictionary(a => a.Tag);

    /// <summary>The indexed attribute with this tag, or null.</summary>
    public static IndexedKey? Find(DicomTag tag) => ByTag.GetValueOrDefault(tag);
}
