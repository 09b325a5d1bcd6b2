using Archivum.Archive.Index;
using Archivum.Archive.Ingest;
using Archivum.Archive.Storage;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Archive.Tests.Support;

namespace Archivum.Archive.Tests.Ingest;

public sealed class InstanceIngestTests : IAsyncDisposable
{
    private const string Corpus = TestArchive.Corpus;
    private readonly TestArchive _archive = new();

    private ArchiveIndex Index => _archive.Index;

    private FileSystemInstanceStore Store => _archive.Store;

    public ValueTask DisposeAsync() => _archive.DisposeAsync();

    /// <summary>A corpus file's data set as a C-STORE carries it: no meta, in the file's transfer syntax.</summary>
    private static (MemoryStream Dataset, DicomFile File) AsReceived(string name, Action<DicomDataset>? change = null)
    {
        var file = DicomFile.Open(Path.Combine(Corpus, name));
        change?.Invoke(file.Dataset);
        var dataset = new MemoryStream();
        DicomFileWriter.WriteDataset(dataset, file.Dataset, file.TransferSyntax);
        dataset.Position = 0;
        return (dataset, file);
    }

    private static Task<IngestOutcome> Ingest(InstanceIngest ingest, (MemoryStream Dataset, DicomFile File) received) =>
        ingest.IngestDatasetAsync(received.Dataset, received.File.Dataset.GetString(DicomTags.SOPClassUID)!, received.File.Dataset.GetString(DicomTags.SOPInstanceUID)!,
            received.File.TransferSyntax.Uid, "MODALITY", CancellationToken.None);

    private List<string[]> Rows(string sql) => _archive.Rows(sql);

    private static string Run(string program, params string[] args) => TestArchive.Tool(program, args);

    private static string DatasetListing(string path)
    {
        string dump = Run("dcmdump", "-q", path);
        return dump[dump.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal)..];
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("JPEG2000.dcm")]
    public async Task A_received_data_set_is_stored_as_received_indexed_and_its_hash_recorded(string name)
    {
        var ingest = new InstanceIngest(Store, Index);
        var received = AsReceived(name);
        Assert.Equal(IngestOutcome.Stored, await Ingest(ingest, received));

        var row = Assert.Single(Rows("SELECT path, sha256, size_bytes, transfer_syntax, source_ae FROM instances"));
        string stored = Path.Combine(Store.Root, row[0]);
        Assert.Equal(Run("sha256sum", stored)[..64], row[1]);
        Assert.Equal(new FileInfo(stored).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
        Assert.Equal(received.File.TransferSyntax.Uid, row[3]);
        Assert.Equal("MODALITY", row[4]);
        // dcmdump reads the stored file as a whole PS3.10 file with the data set sent.
        Assert.Equal(DatasetListing(Path.Combine(Corpus, name)), DatasetListing(stored));
        Assert.Empty(Directory.GetFiles(Path.Combine(Store.Root, ".incoming")));
    }

    [Fact]
    public async Task The_same_instance_again_changes_nothing_and_other_content_follows_the_policy()
    {
        var keep = new InstanceIngest(Store, Index);
        Assert.Equal(IngestOutcome.Stored, await Ingest(keep, AsReceived("CT_small.dcm")));
        Assert.Equal(IngestOutcome.IdenticalDuplicate, await Ingest(keep, AsReceived("CT_small.dcm")));
        string originalSha = Rows("SELECT sha256 FROM instances")[0][0];

        void Rename(DicomDataset d) => d.SetString(DicomTags.PatientName, "Changed^Name");
        Assert.Equal(IngestOutcome.DifferentDuplicateKept, await Ingest(keep, AsReceived("CT_small.dcm", Rename)));
        Assert.Equal(originalSha, Rows("SELECT sha256 FROM instances")[0][0]);
        Assert.Equal(IngestOutcome.DifferentDuplicateRejected, await Ingest(new InstanceIngest(Store, Index, DuplicatePolicy.Reject), AsReceived("CT_small.dcm", Rename)));
        Assert.Equal(IngestOutcome.DifferentDuplicateReplaced, await Ingest(new InstanceIngest(Store, Index, DuplicatePolicy.Replace), AsReceived("CT_small.dcm", Rename)));

        var row = Assert.Single(Rows("SELECT path, sha256 FROM instances"));
        Assert.NotEqual(originalSha, row[1]);
        Assert.Contains("Changed^Name", DatasetListing(Path.Combine(Store.Root, row[0])), StringComparison.Ordinal);
        Assert.Equal(["duplicate-kept", "duplicate-rejected", "duplicate-replaced"], Rows("SELECT kind FROM events ORDER BY id").Select(r => r[0]));
        Assert.Equal([["1"]], Rows("SELECT instance_count FROM studies"));
        Assert.Empty(Directory.GetFiles(Path.Combine(Store.Root, ".incoming")));
    }

    [Fact]
    public async Task Concurrent_stores_of_one_new_instance_store_it_once()
    {
        var ingest = new InstanceIngest(Store, Index);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Ingest(ingest, AsReceived("MR_small.dcm")))));
        Assert.Equal(1, outcomes.Count(o => o == IngestOutcome.Stored));
        Assert.Equal(7, outcomes.Count(o => o == IngestOutcome.IdenticalDuplicate));
        Assert.Equal([["1"]], Rows("SELECT count(*) FROM instances"));
    }

    [Fact]
    public async Task Bad_data_is_refused_as_the_senders_fault_and_leaves_nothing()
    {
        var ingest = new InstanceIngest(Store, Index);
        var received = AsReceived("CT_small.dcm");
        var wrongUid = await Assert.ThrowsAsync<IngestException>(() => ingest.IngestDatasetAsync(received.Dataset, DicomUids.CTImageStorage, "1.2.3.4", received.File.TransferSyntax.Uid, null, CancellationToken.None));
        Assert.False(wrongUid.OutOfResources);
        Assert.Contains("is not the command's", wrongUid.Message, StringComparison.Ordinal);

        var garbage = await Assert.ThrowsAsync<IngestException>(() => ingest.IngestDatasetAsync(new MemoryStream(new byte[] { 8, 0, 0x18, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 }), DicomUids.CTImageStorage, "1.2.3.4", "1.2.840.10008.1.2", null, CancellationToken.None));
        Assert.False(garbage.OutOfResources);

        var badUid = await Assert.ThrowsAsync<IngestException>(() => ingest.IngestDatasetAsync(new MemoryStream(), DicomUids.CTImageStorage, "../1.2", "1.2.840.10008.1.2", null, CancellationToken.None));
        Assert.StartsWith("Affected SOP Instance UID", badUid.Message, StringComparison.Ordinal);

        Assert.Empty(Rows("SELECT * FROM instances"));
        Assert.Empty(Storage.FileSystemInstanceStoreTests.InstanceFiles(Store.Root));
        Assert.Equal(0, Store.Journal.OpenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replacement_cut_by_a_crash_leaves_one_whole_version_on_either_side_of_its_switch(bool switched)
    {
        var first = AsReceived("CT_small.dcm");
        string uid = first.File.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        Assert.Equal(IngestOutcome.Stored, await Ingest(new InstanceIngest(Store, Index), first));
        string oldPath = Rows("SELECT path FROM instances")[0][0];
        Assert.Equal(IngestOutcome.DifferentDuplicateReplaced, await Ingest(new InstanceIngest(Store, Index, DuplicatePolicy.Replace),
            AsReceived("CT_small.dcm", d => d.SetString(DicomTags.PatientName, "Second^Version"))));
        string newPath = Rows("SELECT path FROM instances")[0][0];
        Assert.NotEqual(oldPath, newPath);
        Assert.False(File.Exists(Path.Combine(Store.Root, oldPath)));

        // The crash: the replacement's note without its end, both files there, and the index on one side of its switch.
        await Store.Journal.BeginAsync(uid);
        string keptPath = switched ? newPath : oldPath, strayPath = switched ? oldPath : newPath;
        if (!switched)
        {
            // Before the switch: the index still names the first version; put its file back and the index with it.
            File.Copy(Path.Combine(Corpus, "CT_small.dcm"), Path.Combine(Store.Root, "first-version.tmp"));
            var restored = Run("sha256sum", Path.Combine(Store.Root, "first-version.tmp"))[..64];
            File.Move(Path.Combine(Store.Root, "first-version.tmp"), Path.Combine(Store.Root, oldPath));
            _archive.Execute($"UPDATE instances SET path = '{oldPath}', sha256 = '{restored}' WHERE sop_instance_uid = '{uid}'");
        }
        else
        {
            File.Copy(Path.Combine(Corpus, "CT_small.dcm"), Path.Combine(Store.Root, oldPath));
        }
        await _archive.RestartAsync();

        Assert.Equal(0, await new InstanceIngest(Store, Index).RecoverAsync());

        var row = Assert.Single(Rows("SELECT path, sha256 FROM instances"));
        Assert.Equal(keptPath, row[0]);
        Assert.Equal(Run("sha256sum", Path.Combine(Store.Root, keptPath))[..64], row[1]);
        Assert.False(File.Exists(Path.Combine(Store.Root, strayPath)));
        Assert.Equal([keptPath], Store.VersionsOf(uid));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reencoding_cut_by_a_crash_leaves_one_whole_indexed_copy_on_either_side_of_its_switch(bool switched)
    {
        var first = AsReceived("CT_small.dcm");
        string uid = first.File.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var ingest = new InstanceIngest(Store, Index);
        Assert.Equal(IngestOutcome.Stored, await Ingest(ingest, first));
        string oldPath = Rows("SELECT path FROM instances")[0][0];
        var stored = DicomFile.Open(Path.Combine(Store.Root, oldPath));
        var encoded = Archivum.Imaging.Codecs.FileTranscoder.Transcode(stored, DicomTransferSyntax.JPEGLSLossless);
        Task Write(Stream stream, CancellationToken _)
        {
            DicomFileWriter.Write(stream, encoded);
            return Task.CompletedTask;
        }

        Assert.False(await ingest.ReencodeAsync(uid, "somewhere/else.dcm", DicomTransferSyntax.JPEGLSLossless.Uid, Write, default)); // not the stored file: nothing done
        Assert.True(await ingest.ReencodeAsync(uid, oldPath, DicomTransferSyntax.JPEGLSLossless.Uid, Write, default));
        var after = Assert.Single(Rows("SELECT path, transfer_syntax, original_transfer_syntax FROM instances"));
        string newPath = after[0];
        Assert.Equal([DicomTransferSyntax.JPEGLSLossless.Uid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid], after[1..]);
        Assert.False(File.Exists(Path.Combine(Store.Root, oldPath)));
        Assert.Equal([newPath], Store.VersionsOf(uid));

        // The crash: the note without its end, both files there, and the index on one side of its switch.
        await Store.Journal.BeginAsync(uid);
        File.Copy(Path.Combine(Corpus, "CT_small.dcm"), Path.Combine(Store.Root, oldPath));
        if (!switched)
        {
            string sha = Run("sha256sum", Path.Combine(Store.Root, oldPath))[..64];
            _archive.Execute($"UPDATE instances SET path = '{oldPath}', sha256 = '{sha}', transfer_syntax = '{DicomTransferSyntax.ExplicitVRLittleEndian.Uid}', original_transfer_syntax = NULL, original_size_bytes = NULL WHERE sop_instance_uid = '{uid}'");
        }
        await _archive.RestartAsync();

        Assert.Equal(0, await new InstanceIngest(Store, Index).RecoverAsync());
        string keptPath = switched ? newPath : oldPath, strayPath = switched ? oldPath : newPath;
        var row = Assert.Single(Rows("SELECT path, sha256, transfer_syntax FROM instances"));
        Assert.Equal(keptPath, row[0]);
        Assert.Equal(Run("sha256sum", Path.Combine(Store.Root, keptPath))[..64], row[1]);
        Assert.Equal(DicomFile.Open(Path.Combine(Store.Root, keptPath)).TransferSyntax.Uid, row[2]);
        Assert.False(File.Exists(Path.Combine(Store.Root, strayPath)));
        Assert.Equal([keptPath], Store.VersionsOf(uid));
    }

    /// <summary>The states a crash can leave a store in, between its journal note and its end.</summary>
    public enum CrashState
    {
        FileAndRowWhole,
        FileWithoutRow,
        RowWithCutFile,
        RowWithoutFile,
    }

    [Theory]
    [InlineData(CrashState.FileAndRowWhole, true)]
    [InlineData(CrashState.FileWithoutRow, false)]
    [InlineData(CrashState.RowWithCutFile, false)]
    [InlineData(CrashState.RowWithoutFile, false)]
    public async Task A_store_cut_by_a_crash_is_kept_when_whole_and_removed_otherwise(CrashState state, bool kept)
    {
        var received = AsReceived("CT_small.dcm");
        string uid = received.File.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        Assert.Equal(IngestOutcome.Stored, await Ingest(new InstanceIngest(Store, Index), received));
        string file = Path.Combine(Store.Root, FileSystemInstanceStore.RelativePathFor(uid));
        long length = new FileInfo(file).Length;
        // The crash: the store's note is there without its end (the journal is closed with it open).
        await Store.Journal.BeginAsync(uid);
        switch (state)
        {
            case CrashState.FileWithoutRow:
                _archive.Execute($"DELETE FROM instances WHERE sop_instance_uid = '{uid}'");
                break;
            case CrashState.RowWithCutFile:
                using (var cut = new FileStream(file, FileMode.Open))
                {
                    cut.SetLength(length / 2);
                }
                break;
            case CrashState.RowWithoutFile:
                File.Delete(file);
                break;
        }
        await _archive.RestartAsync();
        Assert.Equal([uid], Store.Journal.UnfinishedAtStart);

        int removed = await new InstanceIngest(Store, Index).RecoverAsync();

        Assert.Equal(kept ? 0 : 1, removed);
        Assert.Equal(kept, File.Exists(file));
        Assert.Equal(kept ? 1 : 0, Rows($"SELECT * FROM instances WHERE sop_instance_uid = '{uid}'").Count);
        if (kept)
        {
            Assert.Equal(Run("sha256sum", file)[..64], Rows("SELECT sha256 FROM instances")[0][0]);
        }
        else if (state != CrashState.FileWithoutRow)
        {
            // The half-indexed instance was never acknowledged: its removal is recorded as an undone ingest, not a deletion.
            Assert.Single(Rows("SELECT * FROM events WHERE kind = 'ingest-undone'"));
            Assert.Empty(Rows("SELECT * FROM studies"));
        }
        // Checked once: the next start has nothing left to check.
        await _archive.RestartAsync();
        Assert.Empty(Store.Journal.UnfinishedAtStart);
    }

    [Fact]
    public async Task A_sender_that_fails_mid_transfer_leaves_nothing()
    {
        var ingest = new InstanceIngest(Store, Index);
        await Assert.ThrowsAsync<IOException>(() => ingest.IngestDatasetAsync(new FailingStream(AsReceived("CT_small.dcm").Dataset, 5000), DicomUids.CTImageStorage, "1.2.3.4", "1.2.840.10008.1.2.1", null, CancellationToken.None));
        Assert.Empty(Rows("SELECT * FROM instances"));
        Assert.Empty(Storage.FileSystemInstanceStoreTests.InstanceFiles(Store.Root));
        Assert.Equal(0, Store.Journal.OpenCount);
    }

    /// <summary>Delivers some bytes, then fails as an aborted association does.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        private int _delivered;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_delivered >= failAfter)
            {
                throw new IOException("association aborted");
            }
            int read = inner.Read(buffer, offset, Math.Min(count, failAfter - _delivered));
            _delivered += read;
            return read;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
