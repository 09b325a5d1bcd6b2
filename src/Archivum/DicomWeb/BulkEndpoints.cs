using System.Globalization;
using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Microsoft.AspNetCore.Routing;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// WADO-RS bulk data and frames (PS3.18 §10.4.1.1.3, §10.4.1.1.4) of one stored instance, as
/// <c>multipart/related</c>, one part per value or frame, each streamed from the stored file.
/// Uncompressed frames are <c>application/octet-stream</c> (little endian, as Explicit VR Little
/// Endian holds them); a compressed frame goes as stored, with its transfer syntax's own media
/// type (PS3.18 Table 8.7.3-2) or as octet-stream with <c>transfer-syntax=*</c>; asked for as plain
/// octet-stream it is decoded, and in another compressed media type transcoded, by the codecs.
/// </summary>
internal static class BulkEndpoints
{
    private const string OctetStream = "application/octet-stream";

    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequireAnyPrivilege(Privilege.Retrieve | Privilege.ReadDeidentified).Audited(AuditEvents.InstancesAccessed, AuditAction.Read);
        secured.MapGet("/studies/{study}/series/{series}/instances/{instance}/bulkdata/{**path}", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string path) =>
            BulkDataAsync(http, archive, [study, series, instance], path));
        secured.MapGet("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string frames) =>
            FramesAsync(http, archive, [study, series, instance], frames));
    }

    private static async Task<IResult> BulkDataAsync(HttpContext http, ArchiveRuntime archive, string[] uids, string path)
    {
        var (dataset, syntax, problem) = Open(archive, uids, http.StudyScope());
        if (problem is not null)
        {
            return problem;
        }
        var element = Navigate(dataset!, path);
        if (element is DicomFragmentSequence encapsulated && syntax is not null)
        {
            // PS3.18 8.7.3.3.2: compressed bulk data, as stored: every frame a part in its own media type.
            int frameCount = dataset!.TryGetValue<int>(DicomTags.NumberOfFrames, out int n) && n > 0 ? n : 1;
            return await WriteEncapsulatedAsync(http, dataset, encapsulated, syntax, frameCount, Enumerable.Range(1, frameCount).ToList()).ConfigureAwait(false);
        }
        if (!DicomWebMedia.AcceptsMultipart(http.Request, OctetStream).Acceptable)
        {
            return DicomWebMedia.NotAcceptable(http.Request, $"multipart/related; type=\"{OctetStream}\"");
        }
        if (element is not DicomValueElement value)
        {
            return Results.Problem($"the instance has no bulk value at {path} (a path is tag/item/tag…, e.g. 7FE00010 or 00081115/0/00081199/2/00081155)", statusCode: StatusCodes.Status404NotFound);
        }
        await WritePartsAsync(http, OctetStream, [(OctetStream, value.Buffer.OpenRead, value.Length)]).ConfigureAwait(false);
        return Results.Empty;
    }

    private static async Task<IResult> FramesAsync(HttpContext http, ArchiveRuntime archive, string[] uids, string list)
    {
        var numbers = new List<int>();
        foreach (string text in list.Split(','))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
            {
                return Results.Problem($"frame numbers are whole numbers from 1, separated by commas: '{list}'", statusCode: StatusCodes.Status400BadRequest);
            }
            numbers.Add(number);
        }
        var (dataset, syntax, problem) = Open(archive, uids, http.StudyScope());
        if (problem is not null)
        {
            return problem;
        }
        int frameCount = dataset!.TryGetValue<int>(DicomTags.NumberOfFrames, out int n) && n > 0 ? n : 1;
        if (numbers.FirstOrDefault(f => f > frameCount) is var missing and > 0)
        {
            return Results.Problem($"frame {missing} asked for; the instance has {frameCount}", statusCode: StatusCodes.Status404NotFound);
        }
        var pixels = dataset[DicomTags.PixelData];
        if (pixels is DicomFragmentSequence encapsulated && syntax is not null)
        {
            return await WriteEncapsulatedAsync(http, dataset, encapsulated, syntax, frameCount, numbers).ConfigureAwait(false);
        }
        if (pixels is not DicomValueElement native)
        {
            return Results.Problem("the instance has no Pixel Data", statusCode: StatusCodes.Status404NotFound);
        }
        if (!DicomWebMedia.AcceptsMultipart(http.Request, OctetStream).Acceptable)
        {
            return DicomWebMedia.NotAcceptable(http.Request, $"multipart/related; type=\"{OctetStream}\"");
        }
        long frameLength = FrameLength(dataset);
        if (frameLength <= 0 || frameLength * frameCount > native.Length)
        {
            return Results.Problem($"Pixel Data holds {native.Length} bytes, less than {frameCount} frames of {frameLength}: the instance is damaged", statusCode: StatusCodes.Status500InternalServerError);
        }
        string type = $"{OctetStream}; transfer-syntax={DicomTransferSyntax.ExplicitVRLittleEndian.Uid}";
        await WritePartsAsync(http, OctetStream, numbers.Select(f => (type, (Func<Stream>)(() => Slice(native.Buffer.OpenRead(), (f - 1) * frameLength)), frameLength)).ToList()).ConfigureAwait(false);
        return Results.Empty;
    }

    /// <summary>
    /// Frames of encapsulated Pixel Data as stored, each a part: in the syntax's own media type
    /// (image/jpeg, image/jp2…) or as application/octet-stream with transfer-syntax=* (or the stored
    /// one); 406 with the reason otherwise (decoding needs a codec this build does not have).
    /// </summary>
    private static async Task<IResult> WriteEncapsulatedAsync(HttpContext http, DicomDataset dataset, DicomFragmentSequence encapsulated, DicomTransferSyntax syntax, int frameCount, IReadOnlyList<int> numbers)
    {
        string own = MediaTypeOf(syntax);
        var (acceptable, requested) = DicomWebMedia.AcceptsMultipart(http.Request, own);
        var (octet, octetSyntax) = DicomWebMedia.AcceptsMultipart(http.Request, OctetStream);
        string? partType = acceptable && (requested is null or "*" || requested == syntax.Uid) ? own
            : octet && (octetSyntax == "*" || octetSyntax == syntax.Uid) ? OctetStream : null;
        if (partType is null)
        {
            return await WriteTranscodedAsync(http, dataset, syntax, numbers, octet && octetSyntax is null or "1.2.840.10008.1.2.1").ConfigureAwait(false);
        }
        var frames = encapsulated.GetFrames(frameCount);
        await WritePartsAsync(http, partType, numbers.Select(f => ($"{partType}; transfer-syntax={syntax.Uid}", (Func<Stream>)(() => Concatenated(frames[f - 1])), frames[f - 1].Sum(b => b.Length))).ToList()).ConfigureAwait(false);
        return Results.Empty;
    }

    /// <summary>Compressed syntaxes a client may ask frames in, by media type, with the syntax each stands for by default (PS3.18 Table 8.7.3-2).</summary>
    private static readonly DicomTransferSyntax[] TranscodingTargets =
        [DicomTransferSyntax.JPEGLSLossless, DicomTransferSyntax.JPEG2000Lossless, DicomTransferSyntax.RLELossless, DicomTransferSyntax.JPEGLSNearLossless, DicomTransferSyntax.JPEG2000];

    /// <summary>
    /// Frames stored compressed, sent in what the client asked for instead: decoded (octet-stream,
    /// Explicit VR Little Endian) or encoded in another compressed syntax whose media type it accepts
    /// (the type's default syntax, or the one it names); 406 with the reason when none can be made here.
    /// </summary>
    private static async Task<IResult> WriteTranscodedAsync(HttpContext http, DicomDataset dataset, DicomTransferSyntax stored, IReadOnlyList<int> numbers, bool decodedAccepted)
    {
        DicomTransferSyntax? target = decodedAccepted ? DicomTransferSyntax.ExplicitVRLittleEndian : null;
        foreach (var candidate in TranscodingTargets)
        {
            var (accepted, named) = DicomWebMedia.AcceptsMultipart(http.Request, MediaTypeOf(candidate));
            bool isDefault = candidate == TranscodingTargets.First(t => MediaTypeOf(t) == MediaTypeOf(candidate));
            if (target is null && accepted && (named == candidate.Uid || (named is null && isDefault)))
            {
                target = candidate;
            }
        }
        string? reason = null;
        if (target is null || !Imaging.Codecs.FileTranscoder.CanTranscode(stored, target, out reason))
        {
            string why = reason is null ? "" : $" ({reason})";
            return Results.Problem($"the frames are stored in {stored.Name}: ask for multipart/related; type=\"{MediaTypeOf(stored)}\", or type=\"{OctetStream}\" (decoded), or another compressed type this archive writes{why}", statusCode: StatusCodes.Status406NotAcceptable);
        }
        var parts = new List<(string, Func<Stream>, long)>(numbers.Count);
        try
        {
            var codec = target.IsEncapsulated ? Imaging.Codecs.PixelCodecs.Get(target) : null;
            foreach (int number in numbers)
            {
                var (layout, pixels) = Imaging.Codecs.NativePixels.Frame(dataset, stored, number - 1);
                byte[] frame = codec is null ? pixels : codec.Encode(pixels, layout, Imaging.Codecs.CodecOptions.Default);
                string type = codec is null ? OctetStream : MediaTypeOf(target);
                parts.Add(($"{type}; transfer-syntax={target.Uid}", () => new MemoryStream(frame, writable: false), frame.Length));
            }
        }
        catch (InvalidDataException e)
        {
            return Results.Problem($"the stored frames cannot be decoded: {e.Message}", statusCode: StatusCodes.Status500InternalServerError);
        }
        await WritePartsAsync(http, target.IsEncapsulated ? MediaTypeOf(target) : OctetStream, parts).ConfigureAwait(false);
        return Results.Empty;
    }

    /// <summary>The instance's data set as stored (large values left in the file until sent) and its transfer syntax.</summary>
    private static (DicomDataset? Dataset, DicomTransferSyntax? Syntax, IResult? Problem) Open(ArchiveRuntime archive, string[] uids, StudyScope scope)
    {
        var (stored, problem) = StoredInstances.Find(archive, QueryLevel.Image, uids, scope);
        return problem is not null
            ? (null, null, problem)
            : (DicomFile.Open(archive.Store.FullPath(stored[0].RelativePath)).Dataset, DicomTransferSyntax.Get(stored[0].TransferSyntaxUid), null);
    }

    /// <summary>The element at a bulk data path (tag/item/tag…, as <see cref="Dicom.Json.DicomElementPath"/> writes it), or null.</summary>
    private static DicomElement? Navigate(DicomDataset dataset, string path)
    {
        var steps = path.Split('/');
        var current = dataset;
        for (int i = 0; i < steps.Length; i += 2)
        {
            if (!DicomTag.TryParse(steps[i], out var tag) || current[tag] is not { } element)
            {
                return null;
            }
            if (i == steps.Length - 1)
            {
                return element;
            }
            if (element is not DicomSequence sequence || !int.TryParse(steps[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int item) || item >= sequence.Items.Count)
            {
                return null;
            }
            current = sequence.Items[item];
        }
        return null;
    }

    /// <summary>Bytes of one uncompressed frame (PS3.5 §8.1.1; a frame of 1-bit pixels is rounded up to whole bytes).</summary>
    private static long FrameLength(DicomDataset dataset)
    {
        long rows = dataset.TryGetValue<int>(DicomTags.Rows, out int r) ? r : 0;
        long columns = dataset.TryGetValue<int>(DicomTags.Columns, out int c) ? c : 0;
        long samples = dataset.TryGetValue<int>(DicomTags.SamplesPerPixel, out int s) ? s : 1;
        long bits = dataset.TryGetValue<int>(DicomTags.BitsAllocated, out int b) ? b : 0;
        return (rows * columns * samples * bits + 7) / 8;
    }

    /// <summary>The media type of a compressed transfer syntax's frames (PS3.18 Table 8.7.3-2).</summary>
    private static string MediaTypeOf(DicomTransferSyntax syntax) => syntax.Uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => "image/jpeg",
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => "image/jls",
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" or "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => "image/jp2",
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => "image/jphc",
        "1.2.840.10008.1.2.5" => "image/dicom-rle",
        "1.2.840.10008.1.2.4.100" or "1.2.840.10008.1.2.4.101" or "1.2.840.10008.1.2.4.102" or "1.2.840.10008.1.2.4.103" or "1.2.840.10008.1.2.4.104" or "1.2.840.10008.1.2.4.105" or "1.2.840.10008.1.2.4.106" => "video/mpeg",
        _ => OctetStream,
    };

    private static Stream Concatenated(IReadOnlyList<DicomBuffer> fragments)
    {
        if (fragments.Count == 1)
        {
            return fragments[0].OpenRead();
        }
        var joined = new MemoryStream();
        foreach (var fragment in fragments)
        {
            fragment.CopyTo(joined);
        }
        joined.Position = 0;
        return joined;
    }

    private static Stream Slice(Stream whole, long offset)
    {
        if (whole.CanSeek)
        {
            whole.Position = offset;
            return whole;
        }
        throw new InvalidOperationException("the pixel data cannot be read from an offset");
    }

    /// <summary>Writes parts (content type, how to open its bytes, how many to send) as one multipart/related body.</summary>
    private static async Task WritePartsAsync(HttpContext http, string type, IReadOnlyList<(string ContentType, Func<Stream> Open, long Length)> parts)
    {
        var multipart = new MultipartRelated(type);
        byte[] closing = multipart.Closing();
        var headers = parts.Select(p => multipart.PartHeader(p.ContentType, p.Length)).ToList();
        http.Response.ContentType = multipart.ContentType;
        http.Response.ContentLength = headers.Sum(h => (long)h.Length) + parts.Sum(p => p.Length + MultipartRelated.PartEnd.Length) + closing.Length;
        var body = http.Response.Body;
        for (int i = 0; i < parts.Count; i++)
        {
            await body.WriteAsync(headers[i], http.RequestAborted).ConfigureAwait(false);
            var source = parts[i].Open();
            await using (source.ConfigureAwait(false))
            {
                await CopyExactlyAsync(source, body, parts[i].Length, http.RequestAborted).ConfigureAwait(false);
            }
            await body.WriteAsync(MultipartRelated.PartEnd, http.RequestAborted).ConfigureAwait(false);
        }
        await body.WriteAsync(closing, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task CopyExactlyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(length, 256 * 1024) is > 0 and var size ? size : 1];
        while (length > 0)
        {
            int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"the stored value ended {length} bytes early");
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            length -= read;
        }
    }
}
