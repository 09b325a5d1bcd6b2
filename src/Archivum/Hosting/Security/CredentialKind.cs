namespace Archivum.Hosting.Security;

/// <summary>What a client presented: counted apart, so that guessed passwords do not stop a valid token, nor made-up tokens a password.</summary>
internal enum CredentialKind
{
    Password,
    Token,
}
