using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Archive.Storage;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Microsoft.AspNetCore.Routing;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// WADO-RS retrieval of whole instances (PS3.18 §10.4): a study, a series or an instance as
/// <c>multipart/related; type="application/dicom"</c>, each part the stored PS3.10 file streamed
/// from the store (never a study in memory). The <c>transfer-syntax</c> parameter of the Accept
/// header is honoured: <c>*</c> or the stored syntax sends the stored bytes untouched, another
/// uncompressed syntax is transcoded (through a temporary file); without one, uncompressed
/// instances come in Explicit VR Little Endian (PS3.18 §8.7.3.5.2) and compressed ones as stored.
/// </summary>
internal static class WadoEndpoints
{
    private const string PartType = "application/dicom";

    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequireAnyPrivilege(Privilege.Retrieve | Privilege.ReadDeidentified).Audited(AuditEvents.InstancesTransferred, AuditAction.Read);
        secured.MapGet("/studies/{study}", (HttpContext http, ArchiveRuntime archive, string study) =>
            RetrieveAsync(http, archive, QueryLevel.Study, study));
        secured.MapGet("/studies/{study}/series/{series}", (HttpContext http, ArchiveRuntime archive, string study, string series) =>
            RetrieveAsync(http, archive, QueryLevel.Series, study, series));
        secured.MapGet("/studies/{study}/series/{series}/instances/{instance}", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            RetrieveAsync(http, archive, QueryLevel.Image, study, series, instance));
    }

    /// <summary>One instance of the answer: where it is and what is sent of it.</summary>
    private sealed record Part(StoredInstance Stored, DicomTransferSyntax Syntax, bool AsStored);

    private static async Task<IResult> RetrieveAsync(HttpContext http, ArchiveRuntime archive, QueryLevel level, params string[] uids)
    {
        var (acceptable, requested) = DicomWebMedia.AcceptsMultipart(http.Request, PartType);
        if (!acceptable)
        {
            return DicomWebMedia.NotAcceptable(http.Request, $"multipart/related; type=\"{PartType}\"");
        }
        DicomTransferSyntax? target = null;
        if (requested is not null and not "*" && (!DicomTransferSyntax.TryGet(requested, out target) || target.IsUnknown))
        {
            return Results.Problem($"transfer-syntax={requested} is not a transfer syntax this archive knows", statusCode: StatusCodes.Status406NotAcceptable);
        }
        var (stored, problem) = StoredInstances.Find(archive, level, uids, http.StudyScope());
        if (problem is not null)
        {
            return problem;
        }
        var parts = new List<Part>(stored.Count);
        foreach (var instance in stored)
        {
            var syntax = DicomTransferSyntax.Get(instance.TransferSyntaxUid);
            // An instance compressed for storage since it arrived comes, unless asked for otherwise, as
            // it would have before: in Explicit VR Little Endian, decoded.
            bool compressedForStorage = instance.ArrivedUncompressedIn is not null;
            if (requested == "*" || (target is null && syntax.IsEncapsulated && !compressedForStorage) || syntax == (target ?? DicomTransferSyntax.ExplicitVRLittleEndian))
            {
                parts.Add(new Part(instance, syntax, AsStored: true));
            }
            else if (Imaging.Codecs.FileTranscoder.CanTranscode(syntax, target ?? DicomTransferSyntax.ExplicitVRLittleEndian, out string? reason))
            {
                parts.Add(new Part(instance, target ?? DicomTransferSyntax.ExplicitVRLittleEndian, AsStored: false));
            }
            else
            {
                return Results.Problem($"instance {instance.SopInstanceUid} is stored in {syntax.Name} and cannot be sent in {target!.Name}: {reason} (ask for transfer-syntax=* to have it as stored)", statusCode: StatusCodes.Status406NotAcceptable);
            }
        }
        var multipart = new MultipartRelated(PartType);
        byte[] closing = multipart.Closing();
        http.Response.ContentType = multipart.ContentType;
        if (parts.All(p => p.AsStored))
        {
            http.Response.ContentLength = parts.Sum(p => multipart.PartHeader(ContentType(p), p.Stored.Length).Length + p.Stored.Length + MultipartRelated.PartEnd.Length) + closing.Length;
        }
        foreach (var part in parts)
        {
            await WritePartAsync(http.Response.Body, archive.Store, multipart, part, http.RequestAborted).ConfigureAwait(false);
        }
        await http.Response.Body.WriteAsync(closing, http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static string ContentType(Part part) => $"{PartType}; transfer-syntax={part.Syntax.Uid}";

    private static async Task WritePartAsync(Stream body, FileSystemInstanceStore store, MultipartRelated multipart, Part part, CancellationToken cancellationToken)
    {
        Stream source;
        if (part.AsStored)
        {
            source = store.OpenRead(part.Stored.RelativePath);
        }
        else
        {
            source = StoredInstances.OpenConverted(store, part.Stored, part.Syntax);
        }
        await using (source.ConfigureAwait(false))
        {
            if (part.AsStored && source.Length != part.Stored.Length)
            {
                // The response's length was announced from the index: a file that no longer agrees cuts it (integrity checks report the file).
                throw new IOException($"the stored file of {part.Stored.SopInstanceUid} is {source.Length} bytes, the index says {part.Stored.Length}");
            }
            await body.WriteAsync(multipart.PartHeader(ContentType(part), source.Length), cancellationToken).ConfigureAwait(false);
            await source.CopyToAsync(body, 256 * 1024, cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(MultipartRelated.PartEnd, cancellationToken).ConfigureAwait(false);
        }
    }
}
