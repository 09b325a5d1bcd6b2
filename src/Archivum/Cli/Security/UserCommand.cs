using System.CommandLine;
using System.Globalization;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;

namespace Archivum.Cli.Security;

/// <summary>
/// <c>archivum user add|list|disable|enable|set-role|reset-password</c>: the local accounts of an
/// archive's data folder (its <c>security.db</c>), usable while the archive is served. Every change
/// is written to the audit trail as a Security Alert (PS3.15 A.5.3.11) by the operating-system user.
/// </summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the local accounts (users and their roles)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetDisabled("disable", "Disable an account (its tokens stop working too)", disabled: true));
        command.Subcommands.Add(SetDisabled("enable", "Enable a disabled account again", disabled: false));
        command.Subcommands.Add(SetRole());
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(Scope());
        return command;
    }

    internal static Option<string> DataOption() =>
        new("--data") { Description = "the archive's data folder", DefaultValueFactory = _ => "archivum-data" };

    private static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "read the password from the first line of standard input" };

    private static Argument<string> NameArgument() => new("name") { Description = "the user name" };

    private static Command Add()
    {
        var name = NameArgument();
        var role = new Option<string>("--role") { Description = "admin, clinician, technologist, researcher or auditor", Required = true };
        var stdin = PasswordStdin();
        var data = DataOption();
        var command = new Command("add", "Create an account (the password is asked for, or read with --password-stdin)") { name, role, stdin, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(name)!, () =>
        {
            var parsedRole = RolePrivileges.Parse(parse.GetValue(role)!);
            string password = PasswordInput.Read(parse.GetValue(stdin));
            var store = SecurityStore.Open(parse.GetValue(data)!);
            var user = store.AddUser(parse.GetValue(name)!, parsedRole, password);
            Audit(parse.GetValue(data)!, $"user {user.Name} added with role {RolePrivileges.Name(user.Role)}", user.Name);
            Console.WriteLine($"{user.Name}: added ({RolePrivileges.Name(user.Role)})");
        }));
        return command;
    }

    private static Command List()
    {
        var data = DataOption();
        var command = new Command("list", "List the accounts: role, state, failed logins, last password change") { data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(data)!, () =>
        {
            Console.WriteLine($"{"NAME",-24} {"ROLE",-13} {"STATE",-22} {"FAILED",6}  PASSWORD CHANGED");
            foreach (var user in SecurityStore.Open(parse.GetValue(data)!).Users())
            {
                string state = user.Disabled ? "disabled"
                    : user.LockedUntil is { } until && until > DateTimeOffset.UtcNow ? $"locked until {until:HH:mm:ss}" : "active";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{user.Name,-24} {RolePrivileges.Name(user.Role),-13} {state,-22} {user.FailedLogins,6}  {user.PasswordChanged:yyyy-MM-dd HH:mm}Z"));
            }
        }));
        return command;
    }

    private static Command SetDisabled(string verb, string description, bool disabled)
    {
        var name = NameArgument();
        var data = DataOption();
        var command = new Command(verb, description) { name, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(name)!, () =>
        {
            SecurityStore.Open(parse.GetValue(data)!).SetDisabled(parse.GetValue(name)!, disabled);
            Audit(parse.GetValue(data)!, $"user {parse.GetValue(name)} {verb}d", parse.GetValue(name)!);
            Console.WriteLine($"{parse.GetValue(name)}: {verb}d");
        }));
        return command;
    }

    private static Command SetRole()
    {
        var name = NameArgument();
        var role = new Argument<string>("role") { Description = "admin, clinician, technologist, researcher or auditor" };
        var data = DataOption();
        var command = new Command("set-role", "Give an account another role") { name, role, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(name)!, () =>
        {
            var parsed = RolePrivileges.Parse(parse.GetValue(role)!);
            SecurityStore.Open(parse.GetValue(data)!).SetRole(parse.GetValue(name)!, parsed);
            Audit(parse.GetValue(data)!, $"user {parse.GetValue(name)} given role {RolePrivileges.Name(parsed)}", parse.GetValue(name)!);
            Console.WriteLine($"{parse.GetValue(name)}: {RolePrivileges.Name(parsed)}");
        }));
        return command;
    }

    private static Command ResetPassword()
    {
        var name = NameArgument();
        var stdin = PasswordStdin();
        var data = DataOption();
        var command = new Command("reset-password", "Set a new password (it also lifts a lockout)") { name, stdin, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(name)!, () =>
        {
            string password = PasswordInput.Read(parse.GetValue(stdin));
            SecurityStore.Open(parse.GetValue(data)!).ResetPassword(parse.GetValue(name)!, password);
            Audit(parse.GetValue(data)!, $"password of {parse.GetValue(name)} reset", parse.GetValue(name)!);
            Console.WriteLine($"{parse.GetValue(name)}: password reset");
        }));
        return command;
    }

    private static Command Scope()
    {
        var name = NameArgument();
        var rules = new Option<string[]>("--allow")
        {
            Description = "a rule that admits studies: institution=NAME, referring=PERSON-NAME (* and ? wildcards), label=LABEL; repeat for several (a study one of them admits is in scope)",
            AllowMultipleArgumentsPerToken = false,
        };
        var clear = new Option<bool>("--clear") { Description = "remove every rule: the role's whole reach again" };
        var data = DataOption();
        var command = new Command("scope", "Show or set the studies an account may see (its data scope); without --allow or --clear, show it") { name, rules, clear, data };
        command.SetAction(parse => CliErrors.Run(parse.GetValue(name)!, () =>
        {
            var store = SecurityStore.Open(parse.GetValue(data)!);
            string user = parse.GetValue(name)!;
            string[] given = parse.GetValue(rules) ?? [];
            if (given.Length > 0 && parse.GetValue(clear))
            {
                throw new ArgumentException("--allow and --clear exclude each other");
            }
            if (given.Length > 0 || parse.GetValue(clear))
            {
                var parsed = given.Select(ScopeRule.Parse).ToList();
                store.SetScope(user, parsed);
                Audit(parse.GetValue(data)!, parsed.Count == 0 ? $"scope of {user} cleared" : $"scope of {user} set to {string.Join("; ", parsed)}", user);
            }
            var account = store.Find(user) ?? throw new InvalidOperationException($"no user named '{user}'");
            var current = store.ScopeRules(account.Name);
            string reach = account.Role switch
            {
                Role.Admin or Role.Auditor => "every study (the role is not scoped)",
                Role.Researcher => current.Count == 0 ? "every research copy" : "research copies that one rule admits",
                _ => current.Count == 0 ? "every study" : "studies that one rule admits, and those opened by break-glass",
            };
            Console.WriteLine($"{account.Name} ({RolePrivileges.Name(account.Role)}): {reach}");
            foreach (var rule in current)
            {
                Console.WriteLine($"  {rule}");
            }
        }));
        return command;
    }

    /// <summary>A user change, recorded as PS3.15's Security Alert with the type "User Security Attributes Changed".</summary>
    internal static void Audit(string dataFolder, string detail, string subject)
    {
        AuditTrail.Open(dataFolder).Append(new AuditRecord(AuditEvents.SecurityAlert, AuditAction.Execute, AuditOutcome.Success)
        {
            EventType = AuditEventTypes.UserSecurityAttributesChanged,
            User = Environment.UserName,
            UserIsOperatingSystemAccount = true,
            Address = Environment.MachineName,
            Detail = detail,
            Objects = [AuditObject.User(subject)],
        });
    }
}
