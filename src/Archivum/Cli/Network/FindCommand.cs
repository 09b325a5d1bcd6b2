using System.CommandLine;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Cli.Network;

/// <summary><c>archivum find</c>: C-FIND (PS3.4 C), matches printed as a table or as a DICOM JSON array.</summary>
internal static class FindCommand
{
    public static Command Create()
    {
        var connection = new ScuConnection();
        var query = new QueryOptions();
        var json = new Option<bool>("--json") { Description = "print the matches as a DICOM JSON array (PS3.18 F.2)" };
        var command = new Command("find", "Query a peer (C-FIND)") { json };
        query.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            string sopClass = query.SopClass(parse, "FIND");
            var (identifier, requested) = query.Identifier(parse);
            var matches = new List<DicomDataset>();
            var association = await connection.ConnectAsync(parse, [new ProposedPresentationContext(sopClass, AssociationPolicy.UncompressedTransferSyntaxes)], cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                using var client = new DimseClient(association);
                try
                {
                    await foreach (var match in client.FindAsync(sopClass, identifier, cancellationToken: cancellationToken).ConfigureAwait(false))
                    {
                        matches.Add(match);
                    }
                }
                catch (DimseClientException) when (!association.IsAborted)
                {
                    // The peer answered with a failure: the association is still in order, so it is released, not aborted.
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    throw;
                }
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                DicomJsonWriter.WriteArray(stdout, matches);
                stdout.WriteByte((byte)'\n');
            }
            else
            {
                var columns = requested.Count > 0 ? requested : matches.SelectMany(m => m.Select(e => e.Tag)).Distinct().Where(t => t.Group != 0x0008 || t.Element != 0x0052).Order().ToList();
                FindResultTable.Write(Console.Out, columns, matches);
            }
            return 0;
        }));
        return command;
    }
}
