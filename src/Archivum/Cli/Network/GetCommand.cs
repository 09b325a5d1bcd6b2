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
        var syntaxes = new Option<string[]>("--transfer-syntax", "-t") { Description = "transfer syntaxes to accept, in order of preference (UID or keyword); default: explicit and implicit VR little endian", DefaultValueFactory = _ => [] };
        var command = new Command("get", "Retrieve instances from a peer into a folder (C-GET)") { output, sopClasses, syntaxes };
        query.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            string sopClass = query.SopClass(parse, "GET");
            var (identifier, _) = query.Identifier(parse);
            var accepted = parse.GetValue(syntaxes)!.Select(ResolveUid).ToList();
            var storageSyntaxes = accepted.Count > 0 ? accepted : [.. AssociationPolicy.UncompressedTransferSyntaxes];
            var storageClasses = parse.GetValue(sopClasses)!.Select(ResolveUid).ToList();
            var contexts = new List<ProposedPresentationContext> { new(sopClass, AssociationPolicy.UncompressedTransferSyntaxes) };
            // PS3.4 C.4.3.1: the C-GET SCU acts as storage SCP on the same association (role selection, PS3.7 D.3.3.4).
            contexts.AddRange((storageClasses.Count > 0 ? storageClasses : CommonStorageClasses.Take(127)).Select(c => new ProposedPresentationContext(c, storageSyntaxes, ScuRole: false, ScpRole: true)));
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
