using System.CommandLine;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Cli.Network;

/// <summary>
/// <c>archivum get --out DIR</c>: C-GET (PS3.4 C.4.3), the peer sends the matching instances back
/// on the same association; each is written to DIR as a PS3.10 file named after its SOP Instance UID.
/// </summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var connection = new ScuConnection();
        var query = new QueryOptions();
        var output = new Option<string>("--out", "-o") { Description = "the folder received instances are written to", Required = true };
        var sopClasses = new Option<string[]>("--sop-class") { Description = "storage SOP classes to accept (UID or keyword); default: the common ones, up to the 127 an association can hold", DefaultValueFactory = _ => [] };
        var syntaxes = new Option<string[]>("--transfer-syntax", "-t") { Description = "transfer syntaxes to accept, in order of preference (UID or keyword); default: every syntax it can store, as sent (compressed ones for the common image classes), else explicit and implicit VR little endian", DefaultValueFactory = _ => [] };
        var command = new Command("get", "Retrieve instances from a peer into a folder (C-GET)") { output, sopClasses, syntaxes };
        query.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            string sopClass = query.SopClass(parse, "GET");
            var (identifier, _) = query.Identifier(parse);
            var accepted = parse.GetValue(syntaxes)!.Select(ResolveUid).ToList();
            var storageClasses = parse.GetValue(sopClasses)!.Select(ResolveUid).ToList();
            var contexts = new List<ProposedPresentationContext> { new(sopClass, AssociationPolicy.UncompressedTransferSyntaxes) };
            // PS3.4 C.4.3.1: the C-GET SCU acts as storage SCP on the same association (role selection, PS3.7 D.3.3.4).
            contexts.AddRange(accepted.Count > 0
                ? (storageClasses.Count > 0 ? storageClasses : CommonStorageClasses.Take(127)).Select(c => new ProposedPresentationContext(c, accepted, ScuRole: false, ScpRole: true))
                : StorageContexts(storageClasses));
            var store = new FolderStoreHandler(parse.GetValue(output)!);
            var association = await connection.ConnectAsync(parse, contexts, cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                using var client = new DimseClient(association);
                var result = await client.GetAsync(sopClass, identifier, store, RetrieveReport.Progress("C-GET"), cancellationToken).ConfigureAwait(false);
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return RetrieveReport.Final(connection.Describe(parse), "C-GET", result);
            }
        }));
        return command;
    }

    /// <summary>
    /// What the files are written as is what arrives, so every syntax is welcome as sent: a context
    /// per compressed image syntax (a peer sends an instance in the context of its own syntax) for
    /// the common image classes, and one uncompressed context for every class, within the 127 an
    /// association holds beside the C-GET's own.
    /// </summary>
    private static List<ProposedPresentationContext> StorageContexts(List<string> chosen)
    {
        var classes = chosen.Count > 0 ? chosen : [.. CompressedClasses, .. CommonStorageClasses.Except(CompressedClasses)];
        var contexts = new List<ProposedPresentationContext>();
        // Room for each compressed class's contexts and its uncompressed one.
        var compressed = chosen.Count > 0 ? chosen.Take(127 / (CompressedImageSyntaxes.Length + 1)) : CompressedClasses;
        foreach (string sopClass in compressed)
        {
            contexts.AddRange(CompressedImageSyntaxes.Select(ts => new ProposedPresentationContext(sopClass, [ts], ScuRole: false, ScpRole: true)));
        }
        foreach (string sopClass in classes)
        {
            if (contexts.Count >= 127)
            {
                break;
            }
            contexts.Add(new ProposedPresentationContext(sopClass, AssociationPolicy.UncompressedTransferSyntaxes, ScuRole: false, ScpRole: true));
        }
        return contexts;
    }

    /// <summary>The image classes that most often arrive compressed: CT, MR, CR, DX, mammography, ultrasound, secondary capture, X-ray angiography.</summary>
    private static readonly string[] CompressedClasses =
    [
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1",
        "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.12.1",
    ];

    /// <summary>The compressed syntaxes images are stored in: RLE, JPEG (baseline, extended, lossless), JPEG-LS, JPEG 2000.</summary>
    private static readonly string[] CompressedImageSyntaxes =
    [
        "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
    ];

    private static string ResolveUid(string text) =>
        Archivum.Dicom.Dictionary.DicomUidRegistry.TryGetByKeyword(text, out var info) ? info.Uid
        : Archivum.Dicom.Model.DicomUid.IsValid(text) ? text
        : throw new ArgumentException($"'{text}' is neither a UID nor a UID keyword");

    /// <summary>
    /// The storage SOP classes proposed by default: an association holds at most 128 contexts,
    /// fewer than there are storage classes, so the everyday ones come first and the registry fills the rest.
    /// </summary>
    private static IEnumerable<string> CommonStorageClasses
    {
        get
        {
            string[] common =
            [
                "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1",
                "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2",
                "1.2.840.10008.5.1.4.1.1.1.2.1", "1.2.840.10008.5.1.4.1.1.1.3", "1.2.840.10008.5.1.4.1.1.1.3.1", "1.2.840.10008.5.1.4.1.1.6.1",
                "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
                "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.2",
                "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.481.1",
                "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.481.5", "1.2.840.10008.5.1.4.1.1.88.11",
                "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.59", "1.2.840.10008.5.1.4.1.1.11.1",
                "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.840.10008.5.1.4.1.1.13.1.3",
            ];
            return common.Concat(AssociationPolicy.StorageSopClasses()).Distinct(StringComparer.Ordinal);
        }
    }
}
