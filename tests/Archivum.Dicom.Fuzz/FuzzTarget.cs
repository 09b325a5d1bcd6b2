using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Fuzz;

/// <summary>
/// What one fuzz input goes through. <see cref="DicomReadException"/> is the reader's answer to
/// bad input and is fine; any other exception escapes and is a crash. So is a file the reader
/// accepted that the writer then writes into something the reader refuses.
/// </summary>
public static class FuzzTarget
{
    private static readonly DicomReadOptions Small = new() { LargeValueThreshold = 256 };

    public static void Run(byte[] data)
    {
        // From memory: values are slices of the input.
        Accept(() => RoundTrip(DicomFile.Read(data)));
        // From a non-seekable stream, delivered in small uneven pieces, as from a socket.
        Accept(() => Walk(DicomFile.Read(new TricklingStream(data))));
        // From a seekable stream with large values deferred (offset and length only).
        Accept(() =>
        {
            using var seekable = new MemoryStream(data, writable: false);
            Walk(DicomFile.Read(seekable, Small));
        });
        // Header only, the rest handed on as a stream: it must hold exactly the unread bytes.
        Accept(() =>
        {
            var file = DicomFile.Read(new TricklingStream(data), DicomReadOptions.HeaderOnly, out var remainder);
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
        });
    }

    private static void Accept(Action read)
    {
        try
        {
            read();
        }
        catch (DicomReadException)
        {
        }
    }

    /// <summary>Writes what was read, in its own transfer syntax, and reads it back: that must not fail.</summary>
    private static void RoundTrip(DicomFile file)
    {
        Walk(file);
        using var written = new MemoryStream();
        try
        {
            DicomFileWriter.Write(written, file);
        }
        catch (InvalidOperationException)
        {
            // The writer refuses what it cannot encode (native pixel data in an encapsulated
            // syntax, a value longer than 32 bits of length): a documented answer, not a crash.
            return;
        }
        var again = DicomFile.Read(written.ToArray());
        Walk(again);
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
