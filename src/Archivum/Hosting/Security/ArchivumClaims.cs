namespace Archivum.Hosting.Security;

/// <summary>Claim types of our own, beside ASP.NET's Name and Role.</summary>
internal static class ArchivumClaims
{
    /// <summary>How the user proved who they are: basic, token, session, jwt.</summary>
    public const string Method = "archivum:method";
}
