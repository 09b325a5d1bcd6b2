using System.Net.Http.Headers;
using System.Text;

namespace Archivum.Cli.Network;

/// <summary>
/// The credentials a command sends to an Archivum (or any DICOMweb) server, from the environment,
/// so that they appear in no command line (ps shows those to every user): <c>ARCHIVUM_TOKEN</c>
/// (an API token, sent as Bearer), else <c>ARCHIVUM_USER</c> and <c>ARCHIVUM_PASSWORD</c> (HTTP Basic).
/// </summary>
internal static class WebCredentials
{
    public static AuthenticationHeaderValue? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable("ARCHIVUM_TOKEN") is { Length: > 0 } token)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }
        if (Environment.GetEnvironmentVariable("ARCHIVUM_USER") is { Length: > 0 } user)
        {
            string password = Environment.GetEnvironmentVariable("ARCHIVUM_PASSWORD") ?? "";
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return null;
    }
}
