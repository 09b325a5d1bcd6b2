using System.Diagnostics;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Dicom.Network.Tests.Services;

/// <summary>What `archivum get` and the benchmark receiver write: PS3.10 files, complete or absent, never outside their folder.</summary>
public sealed class FolderStoreHandlerTests : IDisposable
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-folder-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly AcceptedPresentationContext Context = new(1, DicomUids.CTImageStorage, DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
    private static readonly AssociationInfo Association = new() { CallingAETitle = "PEER", CalledAETitle = "ARCHIVUM", PresentationContexts = [Context] };

    private static MemoryStream Dataset(out string sopInstanceUid)
    {
        var file = DicomFile.Open(Path.Combine(Corpus, "CT_small.dcm"));
        sopInstanceUid = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var stream = new MemoryStream();
        DicomFileWriter.WriteDataset(stream, file.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task A_received_data_set_becomes_a_file_dcmdump_reads_with_the_same_values()
    {
        string folder = Path.Combine(_dir, "in");
        var handler = new FolderStoreHandler(folder);
        using var dataset = Dataset(out string uid);
        var result = await handler.StoreAsync(new CStoreRequest { MessageId = 1, AffectedSopClassUid = DicomUids.CTImageStorage, AffectedSopInstanceUid = uid }, dataset, Context, Association, CancellationToken.None);
        Assert.Equal(DimseStatus.Success, result.Status);
        string file = Assert.Single(Directory.GetFiles(folder));
        Assert.Equal(uid + ".dcm", Path.GetFileName(file));
        using var dcmdump = Process.Start(new ProcessStartInfo("dcmdump", ["-q", "+P", "0008,0018", "+P", "0002,0016", file]) { RedirectStandardOutput = true })!;
        string listing = await dcmdump.StandardOutput.ReadToEndAsync();
        await dcmdump.WaitForExitAsync();
        Assert.Equal(0, dcmdump.ExitCode);
        Assert.Contains(uid, listing, StringComparison.Ordinal);
        Assert.Contains("[PEER]", listing, StringComparison.Ordinal); // Source Application Entity Title
    }

    [Theory]
    [InlineData("../../escaped")]
    [InlineData("1.2.3/../../x")]
    [InlineData("")]
    public async Task A_sop_instance_uid_that_is_not_a_uid_is_refused_and_writes_nothing(string uid)
    {
        string folder = Path.Combine(_dir, "in");
        var handler = new FolderStoreHandler(folder);
        using var dataset = Dataset(out _);
        var result = await handler.StoreAsync(new CStoreRequest { MessageId = 1, AffectedSopClassUid = DicomUids.CTImageStorage, AffectedSopInstanceUid = uid }, dataset, Context, Association, CancellationToken.None);
        Assert.True(result.Status.IsFailure);
        Assert.Empty(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_peer_that_fails_mid_transfer_leaves_no_file()
    {
        string folder = Path.Combine(_dir, "in");
        var handler = new FolderStoreHandler(folder);
        using var dataset = Dataset(out string uid);
        var cut = new CutStream(dataset, 10_000);
        await Assert.ThrowsAsync<IOException>(() => handler.StoreAsync(new CStoreRequest { MessageId = 1, AffectedSopClassUid = DicomUids.CTImageStorage, AffectedSopInstanceUid = uid }, cut, Context, Association, CancellationToken.None).AsTask());
        Assert.Empty(Directory.GetFiles(folder));
    }

    /// <summary>Gives some bytes, then fails as a lost association does.</summary>
    private sealed class CutStream(Stream inner, int after) : Stream
    {
        private int _given;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_given >= after)
            {
                throw new IOException("association aborted");
            }
            int read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, after - _given)], cancellationToken);
            _given += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
