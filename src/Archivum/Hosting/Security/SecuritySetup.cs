using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Microsoft.AspNetCore.Authentication;

namespace Archivum.Hosting.Security;

/// <summary>
/// Who may reach the archive over HTTP: the accounts and tokens of <c>security.db</c>
/// (<see cref="ArchivumAuthenticationHandler"/>), one policy per permission
/// (<see cref="PrivilegePolicies"/>) with every endpoint signed-in by default, and the audit
/// of each access to patient data (<see cref="AccessAudit"/>).
/// </summary>
internal static class SecuritySetup
{
    public static void AddServices(IServiceCollection services, SecurityStore store, AuditWriter audit, ServeSettings settings)
    {
        services.AddSingleton(store);
        services.AddSingleton(audit);
        services.AddSingleton<CredentialCheck>();
        services.AddSingleton<LoginAudit>();
        services.AddSingleton<AccessAudit>();
        const string Select = "select";
        var authentication = services.AddAuthentication(Select)
            .AddScheme<AuthenticationSchemeOptions, ArchivumAuthenticationHandler>(ArchivumAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(Select, null, options =>
            {
                // A provider's JWT to the JwtBearer handler; everything else (Basic, arc_ tokens, the
                // session cookie) to ours, which also answers every challenge and refusal alike.
                bool jwt = settings.Security.Jwt.Enabled;
                options.ForwardDefaultSelector = http => jwt && JwtSignIn.CarriesJwt(http) ? JwtSignIn.SchemeName : ArchivumAuthenticationHandler.SchemeName;
                options.ForwardChallenge = ArchivumAuthenticationHandler.SchemeName;
                options.ForwardForbid = ArchivumAuthenticationHandler.SchemeName;
            });
        if (settings.Security.Jwt.Enabled)
        {
            JwtSignIn.Add(authentication, settings.Security.Jwt);
        }
        services.AddAuthorization(PrivilegePolicies.Add);
    }

    public static void Use(WebApplication app)
    {
        app.UseAuthentication();
        BrowserSessions.UseCsrfProtection(app);
        app.Services.GetRequiredService<AccessAudit>().Use(app);
        app.UseAuthorization();
    }

    /// <summary>Application Activity (PS3.15 A.5.3.1): the archive started or stopped, by the operating-system user.</summary>
    public static AuditRecord ApplicationActivity(AuditCode type, ServeSettings settings) =>
        new(AuditEvents.ApplicationActivity, AuditAction.Execute, AuditOutcome.Success)
        {
            EventType = type,
            User = Environment.UserName,
            UserIsOperatingSystemAccount = true,
            Address = Environment.MachineName,
            Detail = $"{settings.AETitle} {(type == AuditEventTypes.ApplicationStart ? "started" : "stopped")}: DICOM on {settings.ListenAddress}:{settings.DicomPort}, HTTP on {settings.ListenAddress}:{settings.HttpPort}",
        };

    /// <summary>The first start on an empty data folder: the admin account, its password printed once.</summary>
    public static void EnsureInitialAdmin(SecurityStore store, ArchiveRuntime archive, AuditWriter audit)
    {
        if (InitialAdmin.Ensure(store, archive.Options.DataFolder) is not { } password)
        {
            return;
        }
        Console.WriteLine($"""
            A first account was created: user "{InitialAdmin.UserName}", password {password}
            (also in {Path.Combine(archive.Options.DataFolder, InitialAdmin.FileName)}, readable by you only).
            Sign in with it, create the accounts people will use (archivum user add NAME --role ROLE),
            then delete that file.
            """);
        audit.Record(new AuditRecord(AuditEvents.SecurityAlert, AuditAction.Execute, AuditOutcome.Success)
        {
            EventType = AuditEventTypes.UserSecurityAttributesChanged,
            User = Environment.UserName,
            UserIsOperatingSystemAccount = true,
            Address = Environment.MachineName,
            Detail = "first start: the admin account was created with a random password",
            Objects = [AuditObject.User(InitialAdmin.UserName)],
        });
    }
}
