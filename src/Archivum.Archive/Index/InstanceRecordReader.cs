using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Index;

/// <summary>Takes an <see cref="InstanceRecord"/>'s attributes from an instance's header.</summary>
public static class InstanceRecordReader
{
    /// <summary>
    /// The record of an instance whose file is <paramref name="relativePath"/>. Refuses (with the
    /// reason) an instance without the UIDs that place it in the hierarchy, or with invalid ones.
    /// </summary>
    public static InstanceRecord Read(DicomFile file, string relativePath, long length, string sha256, string? sourceAETitle = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var d = file.Dataset;
        return new InstanceRecord
        {
            PatientId = d.GetString(DicomTags.PatientID) ?? "",
            IssuerOfPatientId = d.GetString(DicomTags.IssuerOfPatientID) ?? "",
            PatientName = Text(d, DicomTags.PatientName),
            PatientBirthDate = Date(d, DicomTags.PatientBirthDate),
            PatientSex = Text(d, DicomTags.PatientSex),
            StudyInstanceUid = Uid(d, DicomTags.StudyInstanceUID),
            StudyDate = Date(d, DicomTags.StudyDate),
            StudyTime = Text(d, DicomTags.StudyTime),
            AccessionNumber = Text(d, DicomTags.AccessionNumber),
            StudyId = Text(d, DicomTags.StudyID),
            StudyDescription = Text(d, DicomTags.StudyDescription),
            ReferringPhysicianName = Text(d, DicomTags.ReferringPhysicianName),
            InstitutionName = Text(d, DicomTags.InstitutionName),
            SeriesInstanceUid = Uid(d, DicomTags.SeriesInstanceUID),
            Modality = Text(d, DicomTags.Modality),
            SeriesNumber = Integer(d, DicomTags.SeriesNumber),
            SeriesDescription = Text(d, DicomTags.SeriesDescription),
            SeriesDate = Date(d, DicomTags.SeriesDate),
            SeriesTime = Text(d, DicomTags.SeriesTime),
            BodyPartExamined = Text(d, DicomTags.BodyPartExamined),
            SopInstanceUid = Uid(d, DicomTags.SOPInstanceUID),
            SopClassUid = Uid(d, DicomTags.SOPClassUID),
            InstanceNumber = Integer(d, DicomTags.InstanceNumber),
            NumberOfFrames = Integer(d, DicomTags.NumberOfFrames),
            Rows = Integer(d, DicomTags.Rows),
            Columns = Integer(d, DicomTags.Columns),
            TransferSyntaxUid = file.TransferSyntax.Uid,
            RelativePath = relativePath,
            Length = length,
            Sha256 = sha256,
            SourceAETitle = sourceAETitle,
        };
    }

    private static string? Text(DicomDataset d, DicomTag tag) => d.GetString(tag) is { Length: > 0 } s ? s : null;

    /// <summary>A DA value as the index keeps it: YYYYMMDD, the ACR-NEMA form YYYY.MM.DD rewritten (PS3.5 §6.2, retired form), so ranges compare.</summary>
    private static string? Date(DicomDataset d, DicomTag tag) =>
        Text(d, tag) is { } text && text.Length == 10 && text[4] == '.' && text[7] == '.' ? text.Replace(".", "", StringComparison.Ordinal) : Text(d, tag);

    private static int? Integer(DicomDataset d, DicomTag tag)
    {
        try
        {
            return d.TryGetValue(tag, out int value) ? value : null;
        }
        catch (FormatException)
        {
            return null; // an IS that is not a number: not indexed, still stored
        }
    }

    private static string Uid(DicomDataset d, DicomTag tag)
    {
        string? uid = d.GetString(tag);
        if (string.IsNullOrEmpty(uid))
        {
            throw new InvalidDataException($"the instance has no {DicomDictionary.GetKeyword(tag)} {tag}");
        }
        if (DicomUid.Validate(uid) is { } reason)
        {
            throw new InvalidDataException($"{DicomDictionary.GetKeyword(tag)} '{uid}' is not a valid UID: {reason}");
        }
        return uid;
    }
}
