using System.IO.Compression;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>
/// Reads PS3.10 files and bare data sets: preamble and "DICM" prefix when present, file meta
/// information (group 0002, explicit VR little endian), then the data set in the transfer syntax
/// the meta names, or the one the data itself shows when the meta is missing or wrong.
/// </summary>
internal static class DicomFileReader
{
    private static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    private static readonly DicomTag GroupLength = new(0x0002, 0x0000);

    public static DicomFile ReadFile(string path, DicomReadOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var source = new FileRandomAccessSource(Path.GetFullPath(path), stream.Length);
        using var input = new StreamDicomInput(stream, ownsStream: false, source);
        return Read(input, options, out _);
    }

    public static DicomFile Read(ReadOnlyMemory<byte> bytes, DicomReadOptions options)
    {
        using var input = new MemoryDicomInput(bytes);
        return Read(input, options, out _);
    }

    public static DicomFile Read(Stream stream, DicomReadOptions options, out Stream? remainder)
    {
        // The input is not disposed: the caller owns the stream, and a remainder may read on from it.
        var input = new StreamDicomInput(stream, ownsStream: false, stream.CanSeek ? new StreamRandomAccessSource(stream) : null);
        return Read(input, options, out remainder);
    }

    private static DicomFile Read(DicomInput input, DicomReadOptions options, out Stream? remainder)
    {
        var warnings = new List<string>();
        remainder = null;
        DicomInput dataInput = input;
        try
        {
            byte[]? preamble = ReadPreamble(input);
            var meta = new DicomDataset();
            if (input.TryPeek(6, out var w) && w[0] == 0x02 && w[1] == 0x00)
            {
                var metaEncoding = DicomEncoding.ExplicitLittle;
                if (!DicomVRExtensions.TryParse(w[4], w[5], out _))
                {
                    warnings.Add("file meta information is in implicit VR; PS3.10 requires explicit VR little endian");
                    metaEncoding = DicomEncoding.ImplicitLittle;
                }
                long metaStart = input.Position;
                new DicomDatasetParser(input, options, warnings).ReadGroup(meta, metaEncoding, 0x0002);
                CheckGroupLength(meta, input.Position - metaStart, warnings);
            }
            else if (preamble is not null)
            {
                warnings.Add("no file meta information after the DICM prefix");
            }

            var syntax = ChooseTransferSyntax(input, meta, options, warnings);
            if (syntax.IsDeflated)
            {
                dataInput = new StreamDicomInput(new DeflateStream(input.OpenRemainder(), CompressionMode.Decompress), ownsStream: true, randomAccess: null);
            }
            var dataset = new DicomDataset();
            var file = new DicomFile(meta, dataset, syntax) { Preamble = preamble };
            var parser = new DicomDatasetParser(dataInput, options, warnings);
            var encoding = DicomEncoding.Of(syntax);
            if (!syntax.IsDeflated)
            {
                encoding = CheckEncoding(dataInput, encoding, warnings);
                file.TransferSyntax = AsRead(syntax, encoding);
            }
            parser.ReadTopLevel(dataset, encoding);
            file.StoppedEarly = parser.Stopped;
            file.StopOffset = dataInput.Position;
            file.Warnings = warnings;
            if (parser.Stopped)
            {
                remainder = dataInput.OpenRemainder();
            }
            return file;
        }
        catch (EndOfStreamException e)
        {
            throw new DicomReadException("input ended before the value it announced", dataInput.Position, null, e);
        }
        catch (InvalidDataException e)
        {
            throw new DicomReadException("deflated data set is not valid deflate data: " + e.Message, dataInput.Position, null, e);
        }
        finally
        {
            if (!ReferenceEquals(dataInput, input) && remainder is null)
            {
                dataInput.Dispose();
            }
        }
    }

    private static byte[]? ReadPreamble(DicomInput input)
    {
        if (input.TryPeek(132, out var w) && w[128] == 'D' && w[129] == 'I' && w[130] == 'C' && w[131] == 'M')
        {
            var preamble = w[..128].ToArray();
            input.Advance(132);
            return preamble;
        }
        if (input.TryPeek(4, out w) && w[0] == 'D' && w[1] == 'I' && w[2] == 'C' && w[3] == 'M')
        {
            input.Advance(4);
        }
        return null;
    }

    private static void CheckGroupLength(DicomDataset meta, long actual, List<string> warnings)
    {
        if (meta.TryGetValue(GroupLength, out long declared) && declared + 12 != actual)
        {
            warnings.Add($"file meta group length says {declared} bytes but the group holds {actual - 12}");
        }
    }

    private static DicomTransferSyntax ChooseTransferSyntax(DicomInput input, DicomDataset meta, DicomReadOptions options, List<string> warnings)
    {
        // The UID as the bytes spell it, whatever VR the element came with (GetString would format
        // a binary VR as numbers) and without the padding a writer may have put on either end.
        string? uid = meta[TransferSyntaxUid] is DicomValueElement element
            ? DicomText.DecodeDefault(element.Buffer.Memory.Span).Trim('\0', ' ')
            : null;
        if (!string.IsNullOrEmpty(uid))
        {
            var syntax = DicomTransferSyntax.Get(uid);
            if (syntax.IsUnknown)
            {
                warnings.Add($"unknown transfer syntax {uid}: read as explicit VR little endian");
            }
            return syntax;
        }
        if (meta.Count > 0)
        {
            warnings.Add("file meta information has no Transfer Syntax UID");
        }
        if (options.AssumedTransferSyntax is { } assumed)
        {
            return assumed;
        }
        return Detect(input) switch
        {
            { ExplicitVR: false } => DicomTransferSyntax.ImplicitVRLittleEndian,
            { LittleEndian: true } => DicomTransferSyntax.ExplicitVRLittleEndian,
            _ => DicomTransferSyntax.ExplicitVRBigEndian,
        };
    }

    /// <summary>Guesses the encoding from the first element: VR letters where explicit VR puts them, and which byte of the group is zero.</summary>
    private static DicomEncoding Detect(DicomInput input)
    {
        if (!input.TryPeek(6, out var w))
        {
            return DicomEncoding.ImplicitLittle;
        }
        bool explicitVR = DicomVRExtensions.TryParse(w[4], w[5], out _);
        bool littleEndian = !(w[0] == 0 && w[1] != 0);
        return new DicomEncoding(explicitVR, littleEndian);
    }

    /// <summary>
    /// The syntax the data set was actually read in, when the data overruled the meta between the
    /// two little endian uncompressed syntaxes: a file is written back as it was read, not in a
    /// syntax that would lose its VRs (explicit data under an implicit UID) or invent them.
    /// </summary>
    private static DicomTransferSyntax AsRead(DicomTransferSyntax declared, DicomEncoding read)
    {
        if (declared == DicomTransferSyntax.ImplicitVRLittleEndian && read == DicomEncoding.ExplicitLittle)
        {
            return DicomTransferSyntax.ExplicitVRLittleEndian;
        }
        if (declared == DicomTransferSyntax.ExplicitVRLittleEndian && read == DicomEncoding.ImplicitLittle)
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }
        return declared;
    }

    /// <summary>
    /// Files exist whose data disagrees with their own transfer syntax (implicit data under an
    /// explicit UID and the reverse). Like DCMTK and pydicom, believe the data and say so.
    /// </summary>
    private static DicomEncoding CheckEncoding(DicomInput input, DicomEncoding declared, List<string> warnings)
    {
        if (!input.TryPeek(8, out _))
        {
            return declared;
        }
        var seen = Detect(input);
        if (seen.ExplicitVR != declared.ExplicitVR)
        {
            warnings.Add($"transfer syntax says {(declared.ExplicitVR ? "explicit" : "implicit")} VR but the data set is {(seen.ExplicitVR ? "explicit" : "implicit")} VR; read as it is");
            return declared with { ExplicitVR = seen.ExplicitVR };
        }
        return declared;
    }
}
