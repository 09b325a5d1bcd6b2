using System.Diagnostics;
using System.Globalization;
using Archivum.Archive.Index;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Benchmarks;

/// <summary>
/// <c>query-scale DIR COUNT...</c>: how the index's query cost grows with the archive. For each
/// count, an index of that many instances (ten per study, <see cref="StudyGenerator"/>'s values,
/// no files) is filled through the group-committing writer, then 2,000 STUDY-level queries run
/// through <see cref="ArchiveQuery"/> exactly as C-FIND runs them: an exact Study Instance UID,
/// and the typical one (name wildcard, a month of dates, a modality). Prints the median and 95th
/// percentile of each, in milliseconds: flat for the exact UID means index seeks, not scans.
/// </summary>
internal static class QueryScale
{
    private const int PerStudy = 10;

    public static async Task RunAsync(string folder, int[] counts)
    {
        Console.WriteLine("instances     exact-UID median / p95 (ms)     typical median / p95 (ms)");
        foreach (int count in counts)
        {
            string path = Path.Combine(folder, count.ToString(CultureInfo.InvariantCulture), "index.db");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var index = ArchiveIndex.Open(path);
            await using (index.ConfigureAwait(false))
            {
                int studies = count / PerStudy;
                await FillAsync(index, studies).ConfigureAwait(false);
                var query = new ArchiveQuery(index);
                var random = new Random(5);
                var exact = new List<double>();
                var typical = new List<double>();
                for (int q = 0; q < 2000; q++)
                {
                    int study = random.Next(studies);
                    Time(query, exact, id => id.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, StudyGenerator.StudyUid(study)), expectAtLeast: 1);
                    Time(query, typical, id => StudyGenerator.TypicalKeys(id, study), expectAtLeast: 1);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{count,9}     {FindLatency.Percentile(exact, 0.5),8:F3} / {FindLatency.Percentile(exact, 0.95),8:F3}            {FindLatency.Percentile(typical, 0.5),8:F3} / {FindLatency.Percentile(typical, 0.95),8:F3}"));
            }
        }
    }

    private static async Task FillAsync(ArchiveIndex index, int studies)
    {
        var inv = CultureInfo.InvariantCulture;
        var pending = new List<Task<IndexOutcome>>(1024);
        for (int s = 0; s < studies; s++)
        {
            int patient = s / 3;
            bool mr = s % 3 == 2;
            for (int i = 0; i < PerStudy; i++)
            {
                int series = i * 2 / PerStudy;
                string sop = string.Create(inv, $"2.25.83{s}{i:D5}");
                pending.Add(index.Writer.AddAsync(new InstanceRecord
                {
                    PatientId = string.Create(inv, $"P{patient:D7}"),
                    PatientName = $"{StudyGenerator.LastName(s)}^P{patient}",
                    PatientSex = patient % 2 == 0 ? "F" : "M",
                    StudyInstanceUid = StudyGenerator.StudyUid(s),
                    StudyDate = StudyGenerator.StudyDate(s).ToString("yyyyMMdd", inv),
                    AccessionNumber = string.Create(inv, $"A{s:D8}"),
                    StudyDescription = mr ? "MR BRAIN" : "CT CHEST",
                    SeriesInstanceUid = string.Create(inv, $"2.25.82{s}{series}"),
                    Modality = mr ? "MR" : "CT",
                    SeriesNumber = series + 1,
                    SopInstanceUid = sop,
                    SopClassUid = mr ? DicomUids.MRImageStorage : DicomUids.CTImageStorage,
                    InstanceNumber = i + 1,
                    TransferSyntaxUid = DicomUids.ExplicitVRLittleEndian,
                    RelativePath = sop + ".dcm",
                    Length = 10_000,
                    Sha256 = new string('0', 64),
                }));
                if (pending.Count == pending.Capacity)
                {
                    await Task.WhenAll(pending).ConfigureAwait(false);
                    pending.Clear();
                }
            }
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private static void Time(ArchiveQuery query, List<double> times, Action<DicomDataset> keys, int expectAtLeast)
    {
        var id = new DicomDataset();
        id.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        id.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        id.SetString(DicomTags.PatientName, DicomVR.PN, "");
        id.SetString(DicomTags.StudyDate, DicomVR.DA, "");
        id.SetString(DicomTags.NumberOfStudyRelatedInstances, DicomVR.IS, "");
        keys(id);
        var clock = Stopwatch.StartNew();
        int matches = query.Find(QueryModel.StudyRoot, id).Matches.Count();
        times.Add(clock.Elapsed.TotalMilliseconds);
        if (matches < expectAtLeast)
        {
            throw new InvalidOperationException($"a query found {matches} studies, expected at least {expectAtLeast}");
        }
    }
}
