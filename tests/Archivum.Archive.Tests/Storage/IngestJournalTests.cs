using Archivum.Archive.Storage;

namespace Archivum.Archive.Tests.Storage;

public sealed class IngestJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Segments() => Directory.GetFiles(_folder, "*.journal");

    [Fact]
    public async Task Stores_begun_and_not_ended_are_what_the_next_start_finds()
    {
        using (var journal = new IngestJournal(_folder))
        {
            journal.End(await journal.BeginAsync("1.2.3.1"));
            await journal.BeginAsync("1.2.3.2");
            long third = await journal.BeginAsync("1.2.3.3");
            await journal.BeginAsync("1.2.3.4");
            journal.End(third);
            Assert.Equal(2, journal.OpenCount);
        }
        using var restarted = new IngestJournal(_folder);
        Assert.Equal(["1.2.3.2", "1.2.3.4"], restarted.UnfinishedAtStart.Order(StringComparer.Ordinal));
        Assert.Equal(0, restarted.OpenCount);

        restarted.ForgetUnfinishedAtStart();
        Assert.Single(Segments());
        using var again = new IngestJournal(_folder);
        Assert.Empty(again.UnfinishedAtStart);
    }

    [Fact]
    public async Task A_clean_stop_leaves_no_segment_and_nothing_to_check()
    {
        using (var journal = new IngestJournal(_folder))
        {
            journal.End(await journal.BeginAsync("1.2.3.1"));
        }
        Assert.Empty(Segments());
        using var restarted = new IngestJournal(_folder);
        Assert.Empty(restarted.UnfinishedAtStart);
    }

    [Fact]
    public async Task A_record_torn_by_a_crash_or_altered_is_ignored()
    {
        using (var journal = new IngestJournal(_folder))
        {
            await journal.BeginAsync("1.2.3.1");
            await journal.BeginAsync("1.2.3.2");
        }
        string segment = Assert.Single(Segments());
        string[] lines = File.ReadAllLines(segment);
        Assert.Equal(2, lines.Length);
        // The second record altered (one digit of its UID) and a third one cut in the middle, as a crash mid-append leaves it.
        File.WriteAllText(segment, lines[0] + "\n" + lines[1].Replace("1.2.3.2", "1.2.3.9", StringComparison.Ordinal) + "\n" + "B 1.3 1.2.3.", System.Text.Encoding.ASCII);
        using var restarted = new IngestJournal(_folder);
        Assert.Equal(["1.2.3.1"], restarted.UnfinishedAtStart);
    }

    [Fact]
    public async Task Full_segments_whose_stores_all_ended_are_deleted_while_one_still_open_is_kept()
    {
        using var journal = new IngestJournal(_folder, segmentSize: 200);
        long kept = await journal.BeginAsync("1.2.3.999");
        for (int i = 0; i < 40; i++)
        {
            journal.End(await journal.BeginAsync($"1.2.3.{i}"));
        }
        // The first segment holds the open store; of the others only the current one remains.
        Assert.Equal(2, journal.SegmentCount);
        Assert.Equal(2, Segments().Length);
        journal.End(kept);
        journal.End(await journal.BeginAsync("1.2.3.1000"));
        Assert.Equal(1, journal.SegmentCount);
    }

    [Fact]
    public async Task Notes_begun_concurrently_are_all_found()
    {
        using (var journal = new IngestJournal(_folder))
        {
            await Task.WhenAll(Enumerable.Range(0, 64).Select(i => journal.BeginAsync($"1.2.3.{i}")));
        }
        using var restarted = new IngestJournal(_folder);
        Assert.Equal(64, restarted.UnfinishedAtStart.Count);
    }

    [Fact]
    public async Task A_closed_journal_refuses_new_notes()
    {
        var journal = new IngestJournal(_folder);
        journal.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.BeginAsync("1.2.3.1"));
    }
}
