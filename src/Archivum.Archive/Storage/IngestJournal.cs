using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Archivum.Archive.Storage;

/// <summary>
/// The ingest journal: a durable note, written before a new instance's file takes its place in
/// the store, that the instance is being stored. It is what lets ingest start the file's fsync
/// and the index commit at the same time instead of one after the other: if the process dies
/// before both are durable, the next start finds the note without its end and checks that
/// instance (file present, index row present, SHA-256 equal) — keeping it when whole, removing
/// both otherwise. An instance is acknowledged only after both are durable, so nothing
/// acknowledged is ever removed.
/// <para>
/// Records are lines appended to segment files (<c>ingest-NNNNNNNN.journal</c>):
/// <c>B {ticket} {SOP Instance UID} {check}</c> when a store begins (made durable, group-committed
/// across callers), <c>E {ticket} {check}</c> when it ends, whichever way (not synced: a lost end
/// only means one more check at start). The check is the start of the SHA-256 of the rest of the
/// line, so a record torn by a crash is recognised and ignored (it was never durable, so nothing
/// was placed under it). A segment whose stores have all ended is deleted once a newer one is in use.
/// </para>
/// </summary>
public sealed class IngestJournal : IDisposable
{
    private const string Extension = ".journal";
    private readonly long _segmentSize;
    private readonly string _folder;
    private readonly Lock _lock = new();
    private readonly SyncBatcher _sync;
    private readonly Dictionary<long, Segment> _segments = [];
    private Segment _current;
    private readonly List<long> _previousSegments;
    private long _nextTicket;
    private readonly SyncThreads? _ownThreads;
    private bool _disposed;

    /// <summary>The size past which notes go to a new segment.</summary>
    internal const long DefaultSegmentSize = 1 << 20;

    private sealed class Segment(long number, string path, SafeFileHandle file)
    {
        public long Number { get; } = number;

        public string Path { get; } = path;

        public SafeFileHandle File { get; } = file;

        public long Length { get; set; }

        public int Open { get; set; }
    }

    /// <summary>
    /// Opens the journal in <paramref name="folder"/>: what a previous run left unfinished is read
    /// (<see cref="UnfinishedAtStart"/>), and new notes go to a new segment.
    /// </summary>
    public IngestJournal(string folder)
        : this(folder, DefaultSegmentSize)
    {
    }

    /// <summary>
    /// Opens the journal with another segment size (tests use small ones to see segments retire),
    /// syncing on <paramref name="syncThreads"/> (the store's) or on threads of its own.
    /// </summary>
    internal IngestJournal(string folder, long segmentSize, SyncThreads? syncThreads = null)
    {
        _segmentSize = segmentSize;
        _folder = Path.GetFullPath(folder);
        DurableFileSystem.CreateFolder(_folder);
        _ownThreads = syncThreads is null ? new SyncThreads() : null;
        _sync = new SyncBatcher(syncThreads ?? _ownThreads!, SyncSegment);
        _previousSegments = SegmentNumbers(_folder).Order().ToList();
        UnfinishedAtStart = ReadUnfinished(_folder, _previousSegments);
        _current = OpenSegment(_previousSegments.DefaultIfEmpty(0).Max() + 1);
    }

    /// <summary>
    /// The SOP Instance UIDs of the stores that the previous run noted as begun (durably) and not
    /// ended: the ones to check after a crash. Empty after a clean stop.
    /// </summary>
    public IReadOnlyCollection<string> UnfinishedAtStart { get; }

    /// <summary>Stores begun and not yet ended (for statistics and tests).</summary>
    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Values.Sum(s => s.Open);
            }
        }
    }

    /// <summary>Segment files in use (for tests).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>
    /// Notes that a new instance is about to be placed in the store; completes once the note is
    /// durable. Returns the ticket to end it with.
    /// </summary>
    public async Task<long> BeginAsync(string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        long ticket;
        long segmentNumber;
        string segmentPath;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ticket = ++_nextTicket;
            if (_current.Length >= _segmentSize)
            {
                _current = OpenSegment(_current.Number + 1);
                RetireEmptySegments();
            }
            Append(_current, Record(string.Create(CultureInfo.InvariantCulture, $"B {_current.Number}.{ticket} {sopInstanceUid}")));
            _current.Open++;
            segmentNumber = _current.Number;
            segmentPath = _current.Path;
        }
        await _sync.SyncAsync(segmentPath).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Combine(segmentNumber, ticket);
    }

    /// <summary>Notes that a store has ended (placed and indexed, or undone); not synced.</summary>
    public void End(long ticket)
    {
        var (segmentNumber, sequence) = Split(ticket);
        lock (_lock)
        {
            if (_disposed || !_segments.TryGetValue(segmentNumber, out var segment))
            {
                return;
            }
            Append(segment, Record(string.Create(CultureInfo.InvariantCulture, $"E {segmentNumber}.{sequence}")));
            segment.Open--;
            RetireEmptySegments();
        }
    }

    /// <summary>Deletes the previous run's segments, durably, once its unfinished stores have been checked.</summary>
    public void ForgetUnfinishedAtStart()
    {
        foreach (long number in _previousSegments)
        {
            File.Delete(SegmentPath(_folder, number));
        }
        _previousSegments.Clear();
        DurableFileSystem.SyncFolder(_folder);
    }

    private static List<string> ReadUnfinished(string folder, IEnumerable<long> segments)
    {
        var begun = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (long number in segments)
        {
            foreach (string line in File.ReadLines(SegmentPath(folder, number), Encoding.ASCII))
            {
                if (Parse(line) is not { } record)
                {
                    continue;
                }
                if (record.Kind == 'B' && record.Uid is not null)
                {
                    begun[record.Ticket] = record.Uid;
                }
                else if (record.Kind == 'E')
                {
                    begun.Remove(record.Ticket);
                }
            }
        }
        return begun.Values.Distinct(StringComparer.Ordinal).ToList();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var segment in _segments.Values)
            {
                segment.File.Dispose();
                if (segment.Open == 0)
                {
                    File.Delete(segment.Path);
                }
            }
            _segments.Clear();
        }
        _ownThreads?.Dispose();
    }

    private Segment OpenSegment(long number)
    {
        string path = SegmentPath(_folder, number);
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        // The new name must survive a crash too, or the records in it would be lost with it.
        DurableFileSystem.SyncFolder(_folder);
        var segment = new Segment(number, path, file);
        _segments.Add(number, segment);
        return segment;
    }

    /// <summary>Deletes the segments other than the current one whose stores have all ended (under the lock).</summary>
    private void RetireEmptySegments()
    {
        foreach (var segment in _segments.Values.Where(s => s != _current && s.Open == 0).ToList())
        {
            segment.File.Dispose();
            File.Delete(segment.Path);
            _segments.Remove(segment.Number);
        }
    }

    private static void Append(Segment segment, byte[] record)
    {
        RandomAccess.Write(segment.File, record, segment.Length);
        segment.Length += record.Length;
    }

    private void SyncSegment(string path)
    {
        Segment? segment;
        lock (_lock)
        {
            segment = _segments.Values.FirstOrDefault(s => s.Path == path);
        }
        try
        {
            // A segment with a store waiting on it is never retired; gone means the journal closed.
            RandomAccess.FlushToDisk(segment?.File ?? throw new ObjectDisposedException(path));
        }
        catch (ObjectDisposedException e)
        {
            throw new IOException("the ingest journal is closed", e);
        }
    }

    private static byte[] Record(string body) => Encoding.ASCII.GetBytes(body + " " + Check(body) + "\n");

    private static string Check(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body)).AsSpan(0, 4));

    private static (char Kind, string Ticket, string? Uid)? Parse(string line)
    {
        int lastSpace = line.LastIndexOf(' ');
        if (lastSpace <= 0 || line.Length < 4)
        {
            return null;
        }
        string body = line[..lastSpace];
        if (line[(lastSpace + 1)..] != Check(body))
        {
            return null;
        }
        string[] fields = body.Split(' ');
        return (fields[0], fields.Length) switch
        {
            ("B", 3) => ('B', fields[1], fields[2]),
            ("E", 2) => ('E', fields[1], null),
            _ => null,
        };
    }

    private static string SegmentPath(string folder, long number) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"ingest-{number:D8}{Extension}"));

    private static IEnumerable<long> SegmentNumbers(string folder) =>
        Directory.EnumerateFiles(folder, "ingest-*" + Extension)
            .Select(p => long.TryParse(Path.GetFileNameWithoutExtension(p)["ingest-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
            .Where(n => n >= 0);

    // A ticket carries its segment in the high 24 bits and its sequence in the low 40.
    private static long Combine(long segment, long sequence) => (segment << 40) | sequence;

    private static (long Segment, long Sequence) Split(long ticket) => (ticket >> 40, ticket & ((1L << 40) - 1));
}
