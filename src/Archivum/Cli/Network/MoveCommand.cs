using System.CommandLine;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Cli.Network;

/// <summary><c>archivum move --dest AE</c>: C-MOVE (PS3.4 C.4.2), the peer sends the matching instances to another AE it knows.</summary>
internal static class MoveCommand
{
    public static Command Create()
    {
        var connection = new ScuConnection();
        var query = new QueryOptions();
        var destination = new Option<string>("--dest") { Description = "the AE title the peer sends the instances to (it must know its address)", Required = true };
        var command = new Command("move", "Have a peer send instances to an AE (C-MOVE)") { destination };
        query.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            string sopClass = query.SopClass(parse, "MOVE");
            var (identifier, _) = query.Identifier(parse);
            var association = await connection.ConnectAsync(parse, [new ProposedPresentationContext(sopClass, AssociationPolicy.UncompressedTransferSyntaxes)], cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                using var client = new DimseClient(association);
                var result = await client.MoveAsync(sopClass, parse.GetValue(destination)!, identifier, RetrieveReport.Progress("C-MOVE"), cancellationToken).ConfigureAwait(false);
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return RetrieveReport.Final(connection.Describe(parse), "C-MOVE", result);
            }
        }));
        return command;
    }
}
