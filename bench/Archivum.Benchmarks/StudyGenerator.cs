using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Benchmarks;

/// <summary>
/// Writes a synthetic archive for the side-by-side scripts: studies of CT and MR instances from
/// pydicom's CT_small.dcm header, spread over patients, names, dates and modalities the way a
/// hospital's are, with UIDs that a query client can compute again (<see cref="StudyUid"/>).
/// </summary>
internal static class StudyGenerator
{
    private static readonly string[] LastNames =
    [
        "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
        "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
        "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON",
        "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES",
        "GREEN", "ADAMS", "NELSON", "BAKER", "HALL", "RIVERA", "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS",
    ];

    private static readonly string[] FirstNames =
    [
        "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
        "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN",
    ];

    /// <summary>The first study date; study <c>s</c> is on day <c>(s * 7) % 2000</c> after it.</summary>
    public static readonly DateOnly FirstDate = new(2020, 1, 1);

    public static string StudyUid(int study) => string.Create(CultureInfo.InvariantCulture, $"2.25.81{study}");

    public static string LastName(int study) => LastNames[study / 3 % LastNames.Length];

    public static DateOnly StudyDate(int study) => FirstDate.AddDays(study * 7 % 2000);

    /// <summary>The matching keys of the typical worklist query that finds <paramref name="study"/>: its last name with a wildcard, a month around its date, its modality.</summary>
    public static void TypicalKeys(DicomDataset identifier, int study)
    {
        var start = StudyDate(study).AddDays(-15);
        identifier.SetString(DicomTags.PatientName, DicomVR.PN, LastName(study) + "*");
        identifier.SetString(DicomTags.StudyDate, DicomVR.DA, $"{start:yyyyMMdd}-{start.AddDays(30):yyyyMMdd}");
        identifier.SetString(DicomTags.ModalitiesInStudy, DicomVR.CS, study % 3 == 2 ? "MR" : "CT");
    }

    /// <summary>
    /// Writes <paramref name="studies"/> studies of <paramref name="perStudy"/> instances (two series
    /// each) of <paramref name="rows"/>×<paramref name="rows"/> 16-bit pixels into <paramref name="folder"/>,
    /// one subfolder per study; the studies are numbered from <paramref name="first"/> (their UIDs, names and dates follow the number).
    /// </summary>
    public static void Write(string folder, int studies, int perStudy, int rows, int first = 0)
    {
        var file = DicomFile.Open(TestImages.CtSmall);
        var ds = file.Dataset;
        ds.SetValues(DicomTags.Rows, DicomVR.US, (ushort)rows);
        ds.SetValues(DicomTags.Columns, DicomVR.US, (ushort)rows);
        var pixels = new byte[rows * rows * 2];
        new Random(3).NextBytes(pixels);
        ds.SetBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        file.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        var inv = CultureInfo.InvariantCulture;
        for (int s = first; s < first + studies; s++)
        {
            string studyFolder = Path.Combine(folder, s.ToString("D6", inv));
            Directory.CreateDirectory(studyFolder);
            int patient = s / 3;
            bool mr = s % 3 == 2;
            string sopClass = mr ? DicomUids.MRImageStorage : DicomUids.CTImageStorage;
            ds.SetString(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
            file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
            ds.SetString(DicomTags.Modality, DicomVR.CS, mr ? "MR" : "CT");
            ds.SetString(DicomTags.PatientName, DicomVR.PN, $"{LastName(s)}^{FirstNames[patient % FirstNames.Length]}");
            ds.SetString(DicomTags.PatientID, DicomVR.LO, string.Create(inv, $"P{patient:D7}"));
            ds.SetString(DicomTags.PatientBirthDate, DicomVR.DA, new DateOnly(1940, 1, 1).AddDays(patient * 37 % 25000).ToString("yyyyMMdd", inv));
            ds.SetString(DicomTags.PatientSex, DicomVR.CS, patient % 2 == 0 ? "F" : "M");
            ds.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid(s));
            ds.SetString(DicomTags.StudyDate, DicomVR.DA, StudyDate(s).ToString("yyyyMMdd", inv));
            ds.SetString(DicomTags.StudyTime, DicomVR.TM, string.Create(inv, $"{8 + s % 10:D2}{s % 60:D2}00"));
            ds.SetString(DicomTags.AccessionNumber, DicomVR.SH, string.Create(inv, $"A{s:D8}"));
            ds.SetString(DicomTags.StudyID, DicomVR.SH, string.Create(inv, $"{s % 100000}"));
            ds.SetString(DicomTags.StudyDescription, DicomVR.LO, mr ? "MR BRAIN" : s % 2 == 0 ? "CT CHEST" : "CT ABDOMEN");
            for (int i = 0; i < perStudy; i++)
            {
                int series = i * 2 / perStudy;
                ds.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, string.Create(inv, $"2.25.82{s}{series}"));
                ds.SetString(DicomTags.SeriesNumber, DicomVR.IS, (series + 1).ToString(inv));
                string sop = string.Create(inv, $"2.25.83{s}{i:D5}");
                ds.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
                file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sop);
                ds.SetString(DicomTags.InstanceNumber, DicomVR.IS, (i + 1).ToString(inv));
                file.Save(Path.Combine(studyFolder, string.Create(inv, $"{i:D5}.dcm")));
            }
        }
    }
}
