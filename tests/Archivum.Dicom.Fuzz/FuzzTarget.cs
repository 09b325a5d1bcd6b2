using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;

namespace Archivum.Dicom.Fuzz;

/// <summary>
/// What one fuzz input goes through. <see cref="DicomReadException"/> is the reader's answer to
/// bad input and is fine; any other exception escapes and is a crash. So is a broken invariant:
/// the same bytes read differently from memory and from a stream, a file the reader accepted that
/// the writer turns into something the reader refuses, or a rewrite that is not stable.
/// </summary>
public static class FuzzTarget
{
    private static readonly DicomReadOptions Small = new() { LargeValueThreshold = 256 };

    public static void Run(byte[] data)
    {
        // From memory: values are slices of the input.
        var fromMemory = TryRead(() => DicomFile.Read(data));
        // From a non-seekable stream, delivered in small uneven pieces, as from a socket.
        var fromStream = TryRead(() => DicomFile.Read(new NonSeekableStream(data, maxPiece: 397)));
        // From a seekable stream with large values deferred (offset and length only).
        using var seekable = new MemoryStream(data, writable: false);
        var fromSeekable = TryRead(() => DicomFile.Read(seekable, Small));

        // Same bytes, same answer, whatever the source. The one allowed difference: a sequence
        // length past the end of the input is read to the end only when the input's length is known.
        bool clamped = fromMemory?.Warnings.Any(w => w.Contains("runs past the end of the input", StringComparison.Ordinal)) == true;
        Same(fromMemory, fromSeekable, "a seekable stream");
        if (!clamped)
        {
            Same(fromMemory, fromStream, "a non-seekable stream");
        }
        if (fromMemory is not null)
        {
            RoundTrip(fromMemory);
        }
        HeaderOnly(data);
    }

    private static DicomFile? TryRead(Func<DicomFile> read)
    {
        try
        {
            var file = read();
            Walk(file);
            return file;
        }
        catch (DicomReadException)
        {
            return null;
        }
    }

    private static void Same(DicomFile? expected, DicomFile? actual, string source)
    {
        if ((expected is null) != (actual is null))
        {
            throw new InvalidOperationException($"memory {(expected is null ? "refused" : "accepted")} the input but {source} {(actual is null ? "refused" : "accepted")} it");
        }
        if (expected is not null && actual is not null && Canonical(expected) is { } e && Canonical(actual) is { } a && !e.AsSpan().SequenceEqual(a))
        {
            throw new InvalidOperationException($"memory and {source} read different data sets");
        }
    }

    /// <summary>
    /// Writes what was read and reads it back: that must succeed, and from then on the bytes are
    /// Archivum's canonical form, so writing again gives the same bytes.
    /// </summary>
    private static void RoundTrip(DicomFile file)
    {
        if (Canonical(file) is not { } first)
        {
            return;
        }
        var again = DicomFile.Read(first);
        Walk(again);
        var second = Canonical(again) ?? throw new InvalidOperationException("the writer refused what it had written");
        if (!first.AsSpan().SequenceEqual(second))
        {
            throw new InvalidOperationException("write → read → write is not byte-identical");
        }
    }

    /// <summary>The file as Archivum writes it, or null when the writer refuses it for a documented reason.</summary>
    private static byte[]? Canonical(DicomFile file)
    {
        using var written = new MemoryStream();
        try
        {
            DicomFileWriter.Write(written, file);
        }
        catch (InvalidOperationException)
        {
            // Native pixel data in an encapsulated syntax, a value too long for a 32-bit length:
            // the writer says no, which is its documented answer.
            return null;
        }
        return written.ToArray();
    }

    /// <summary>Header only, the rest handed on as a stream: it must hold exactly the unread bytes.</summary>
    private static void HeaderOnly(byte[] data)
    {
        try
        {
            var file = DicomFile.Read(new NonSeekableStream(data, maxPiece: 397), DicomReadOptions.HeaderOnly, out var remainder);
            Walk(file);
            // (A deflated file's remainder is the inflating stream: corrupt deflate data is the consumer's to meet.)
            if (remainder is not null && !file.TransferSyntax.IsDeflated)
            {
                using var rest = new MemoryStream();
                remainder.CopyTo(rest);
                if (file.StopOffset + rest.Length != data.Length)
                {
                    throw new InvalidOperationException($"stopped at {file.StopOffset} but the remainder holds {rest.Length} of {data.Length} bytes");
                }
            }
        }
        catch (DicomReadException)
        {
        }
    }

    /// <summary>Touches every value the way a consumer would.</summary>
    private static void Walk(DicomFile file)
    {
        _ = file.TransferSyntax.Name;
        Walk(file.FileMetaInformation);
        Walk(file.Dataset);
    }

    private static void Walk(DicomDataset dataset)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomValueElement value:
                    _ = value.Buffer.Memory.Length;
                    if (value.VR.IsString())
                    {
                        _ = dataset.GetString(value.Tag);
                    }
                    break;
                case DicomSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        Walk(item);
                    }
                    break;
                case DicomFragmentSequence fragments:
                    _ = fragments.GetBasicOffsets();
                    foreach (var fragment in fragments.Fragments)
                    {
                        _ = fragment.Memory.Length;
                    }
                    break;
            }
        }
    }
}
