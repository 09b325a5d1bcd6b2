using System.CommandLine;
using System.Globalization;
using Archivum.Archive.Security;

namespace Archivum.Cli.Security;

/// <summary>
/// <c>archivum token create|list|revoke</c>: personal API tokens for scripts and DICOMweb clients
/// (<c>Authorization: Bearer arc_…</c>), kept hashed; the secret is printed once, at creation.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Manage personal API tokens (Authorization: Bearer …)");
        command.Subcommands.Add(CreateToken());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command CreateToken()
    {
        var user = new Argument<string>("user") { Description = "the account the token acts as" };
        var name = new Option<string>("--name") { Description = "what the token is for (shown by token list)", DefaultValueFactory = _ => "api" };
        var days = new Option<int>("--days") { Description = "lifetime in days (1 to 366)", DefaultValueFactory = _ => 90 };
        var data = UserCommand.DataOption();
        var command = new Command("create", "Create a token; its secret is printed once") { user, name, days, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(user)!, () =>
        {
            var (token, secret) = SecurityStore.Open(parse.GetValue(data)!).CreateToken(parse.GetValue(user)!, parse.GetValue(name)!, TimeSpan.FromDays(parse.GetValue(days)));
            UserCommand.Audit(parse.GetValue(data)!, $"API token {token.Id} ({token.Name}) created for {token.User}, expiring {token.Expires:yyyy-MM-dd}", token.User);
            Console.WriteLine(secret);
            Console.Error.WriteLine($"token {token.Id} for {token.User}, expires {token.Expires:yyyy-MM-dd HH:mm}Z; the line above is its only copy");
        }));
        return command;
    }

    private static Command List()
    {
        var user = new Option<string?>("--user") { Description = "only this account's tokens" };
        var data = UserCommand.DataOption();
        var command = new Command("list", "List tokens (never their secrets)") { user, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(data)!, () =>
        {
            Console.WriteLine($"{"ID",-16}  {"USER",-20} {"NAME",-16} {"EXPIRES",-17} STATE");
            foreach (var token in SecurityStore.Open(parse.GetValue(data)!).Tokens(parse.GetValue(user)))
            {
                string state = token.Revoked is not null ? "revoked" : token.Expires <= DateTimeOffset.UtcNow ? "expired" : "active";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{token.Id,-16}  {token.User,-20} {token.Name,-16} {token.Expires:yyyy-MM-dd HH:mm}Z {state}"));
            }
        }));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "the token's id (token list shows it)" };
        var data = UserCommand.DataOption();
        var command = new Command("revoke", "Revoke a token at once") { id, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(id)!, () =>
        {
            var store = SecurityStore.Open(parse.GetValue(data)!);
            var token = store.Tokens().FirstOrDefault(t => t.Id == parse.GetValue(id)) ?? throw new InvalidOperationException("no such token");
            if (!store.RevokeToken(token.Id))
            {
                throw new InvalidOperationException("the token is revoked already");
            }
            UserCommand.Audit(parse.GetValue(data)!, $"API token {token.Id} of {token.User} revoked", token.User);
            Console.WriteLine($"{token.Id}: revoked");
        }));
        return command;
    }
}
