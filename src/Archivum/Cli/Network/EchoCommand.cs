using System.CommandLine;
using System.Diagnostics;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Cli.Network;

/// <summary><c>archivum echo</c>: C-ECHO (verification, PS3.4 A), the "is it there" of DICOM.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var connection = new ScuConnection();
        var command = new Command("echo", "Check that a DICOM peer answers (C-ECHO)");
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            var clock = Stopwatch.StartNew();
            var association = await connection.ConnectAsync(parse, [new ProposedPresentationContext(AssociationPolicy.VerificationSopClass, AssociationPolicy.UncompressedTransferSyntaxes)], cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                using var client = new DimseClient(association);
                var response = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                if (!response.Status.IsSuccess)
                {
                    Console.Error.WriteLine($"archivum: {connection.Describe(parse)}: C-ECHO answered {response.Status}");
                    return 1;
                }
                Console.WriteLine($"{connection.Describe(parse)}: C-ECHO success in {clock.Elapsed.TotalMilliseconds:F1} ms");
                return 0;
            }
        }));
        return command;
    }
}
