using System.Diagnostics;
using System.Text.Json;
using Archivum.Archive.Index;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Archive.Tests.Support;

namespace Archivum.Archive.Tests.Index;

public sealed class IndexWriterTests : IAsyncDisposable
{
    private const string Corpus = TestArchive.Corpus;
    private readonly TestArchive _archive = new();

    private ArchiveIndex Index => _archive.Index;

    public ValueTask DisposeAsync() => _archive.DisposeAsync();

    private static InstanceRecord Record(string study, string series, string instance, string modality = "CT", string patientId = "P1", string? name = "Doe^Jane", string sopClass = "1.2.840.10008.5.1.4.1.1.2") => new()
    {
        PatientId = patientId,
        PatientName = name,
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        SopInstanceUid = instance,
        SopClassUid = sopClass,
        Modality = modality,
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        RelativePath = instance + ".dcm",
        Length = 1000,
        Sha256 = new string('0', 64),
    };

    private List<string[]> Rows(string sql) => _archive.Rows(sql);

    [Fact]
    public async Task The_corpus_indexed_gives_the_hierarchy_and_counts_pydicom_reads_from_the_same_files()
    {
        string[] names = ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "JPEG2000.dcm", "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", "SC_rgb_rle.dcm", "SC_rgb_jpeg.dcm", "liver_1frame.dcm", "test-SR.dcm", "waveform_ecg.dcm", "693_J2KI.dcm", "MR_small_RLE.dcm"];
        foreach (string name in names)
        {
            var file = DicomFile.Open(Path.Combine(Corpus, name), DicomReadOptions.HeaderOnly);
            await Index.Writer.AddAsync(InstanceRecordReader.Read(file, name, 1, new string('0', 64)));
        }

        // The oracle: pydicom groups the same files by study and series (first instance of a SOP Instance UID wins).
        string script = """
            import sys, json, pydicom
            seen, studies = set(), {}
            for path in sys.argv[1:]:
                d = pydicom.dcmread(path, stop_before_pixels=True, force=True)
                if d.SOPInstanceUID in seen: continue
                seen.add(d.SOPInstanceUID)
                s = studies.setdefault(d.StudyInstanceUID, {"series": set(), "instances": 0, "modalities": set(), "classes": set()})
                s["series"].add(d.SeriesInstanceUID); s["instances"] += 1
                if d.get("Modality"): s["modalities"].add(d.Modality)
                s["classes"].add(d.SOPClassUID)
            print(json.dumps({k: [len(v["series"]), v["instances"], "\\".join(sorted(v["modalities"])), "\\".join(sorted(v["classes"]))] for k, v in studies.items()}))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string name in names)
        {
            start.ArgumentList.Add(Path.Combine(Corpus, name));
        }
        using var python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, python.StandardError.ReadToEnd());
        var expected = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(output)!;

        var actual = Rows("SELECT study_uid, series_count, instance_count, coalesce(modalities, ''), sop_classes FROM studies")
            .ToDictionary(r => r[0], r => r[1..]);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (study, values) in expected)
        {
            Assert.Equal([values[0].ToString(), values[1].ToString(), values[2].GetString()!, values[3].GetString()!], actual[study]);
        }
    }

    [Fact]
    public async Task Concurrent_adds_are_all_committed_with_counts_that_add_up()
    {
        var tasks = Enumerable.Range(0, 300).Select(i => Task.Run(() =>
            Index.Writer.AddAsync(Record($"1.2.{i % 3}", $"1.2.{i % 3}.{i % 7}", $"1.2.3.4.{i}", modality: i % 2 == 0 ? "CT" : "PT"))));
        var outcomes = await Task.WhenAll(tasks);
        Assert.All(outcomes, o => Assert.Equal(IndexOutcome.Inserted, o));
        Assert.Equal([["300"]], Rows("SELECT count(*) FROM instances"));
        Assert.Equal([["300", "21"]], Rows("SELECT sum(instance_count), sum(series_count) FROM studies"));
        Assert.Equal([["CT\\PT"]], Rows("SELECT DISTINCT modalities FROM studies"));
        Assert.InRange(Index.Writer.Transactions, 1, 300);
    }

    [Fact]
    public async Task Modalities_and_SOP_classes_in_study_kept_per_instance_equal_what_SQLite_computes_from_the_whole_study()
    {
        string[] modalities = ["PR", "CT", "SR", "MR"];
        string[] classes = ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.11.1", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.4"];
        var tasks = Enumerable.Range(0, 120).Select(i => Task.Run(() =>
            Index.Writer.AddAsync(Record($"1.5.{i % 4}", $"1.5.{i % 4}.{i % 9}", $"1.5.9.{i}", modality: modalities[i % 9 % 4], sopClass: classes[i * 7 % 4]))));
        await Task.WhenAll(tasks);
        await Index.Writer.DeleteAsync(Archivum.Archive.Query.QueryLevel.Image, "1.5.9.7");

        // The oracle: SQLite's own DISTINCT ... ORDER BY over every series and instance of each study.
        const string Recomputed = """
            SELECT st.study_uid,
              (SELECT group_concat(m, '\') FROM (SELECT DISTINCT modality AS m FROM series WHERE study_ref = st.id AND modality IS NOT NULL ORDER BY m)),
              (SELECT group_concat(c, '\') FROM (SELECT DISTINCT i.sop_class_uid AS c FROM instances i JOIN series x ON i.series_ref = x.id WHERE x.study_ref = st.id ORDER BY c))
            FROM studies st ORDER BY st.study_uid
            """;
        var expected = Rows(Recomputed);
        Assert.Equal(4, expected.Count);
        Assert.All(expected, r => Assert.Contains('\\', r[1] + r[2]));
        Assert.Equal(expected, Rows("SELECT study_uid, modalities, sop_classes FROM studies ORDER BY study_uid"));
    }

    [Fact]
    public async Task The_same_instance_twice_is_indexed_once()
    {
        Assert.Equal(IndexOutcome.Inserted, await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.1")));
        Assert.Equal(IndexOutcome.AlreadyIndexed, await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.1")));
        Assert.Equal([["1", "1"]], Rows("SELECT instance_count, series_count FROM studies"));
    }

    [Fact]
    public async Task A_patient_ID_with_other_demographics_is_indexed_under_the_stored_patient_and_recorded()
    {
        await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.1", name: "Doe^Jane"));
        await Index.Writer.AddAsync(Record("1.3", "1.3.1", "1.3.1.1", name: "Roe^Richard"));
        await Index.Writer.AddAsync(Record("1.4", "1.4.1", "1.4.1.1", name: null)); // absent is not a conflict

        Assert.Equal([["P1", "Doe^Jane"]], Rows("SELECT patient_id, name FROM patients"));
        var conflict = Assert.Single(Rows("SELECT kind, sop_instance_uid, detail FROM events"));
        Assert.Equal("demographics-conflict", conflict[0]);
        Assert.Equal("1.3.1.1", conflict[1]);
        using var detail = JsonDocument.Parse(conflict[2]);
        Assert.Equal("Roe^Richard", detail.RootElement.GetProperty("received").GetProperty("name").GetString());
        Assert.Equal("Doe^Jane", detail.RootElement.GetProperty("stored").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_quiet_study_becomes_stable_once_and_a_new_instance_makes_it_unstable_again()
    {
        await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.1"));
        Assert.Empty(await Index.Writer.MarkStableAsync(TimeSpan.FromHours(1))); // not quiet long enough
        Assert.Equal(["1.2"], await Index.Writer.MarkStableAsync(TimeSpan.Zero));
        Assert.Empty(await Index.Writer.MarkStableAsync(TimeSpan.Zero)); // once
        await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.2"));
        Assert.Equal([[""]], Rows("SELECT stable_at FROM studies"));
        Assert.Equal(["1.2"], await Index.Writer.MarkStableAsync(TimeSpan.Zero));
        Assert.Equal([["2"]], Rows("SELECT count(*) FROM events WHERE kind = 'study-stable'"));
    }

    [Fact]
    public async Task What_was_committed_is_there_after_reopening()
    {
        await Index.Writer.AddAsync(Record("1.2", "1.2.1", "1.2.1.1"));
        await _archive.ReopenIndexAsync();
        Assert.Equal([["1.2.1.1"]], Rows("SELECT sop_instance_uid FROM instances"));
    }
}
