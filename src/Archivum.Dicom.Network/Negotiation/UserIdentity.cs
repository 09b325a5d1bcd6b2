namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// The identity an association requestor asserted (PS3.7 D.3.3.7): a username, a username and
/// passcode, or a token. The fields are bytes as sent (UTF-8 text for username and passcode).
/// </summary>
public sealed record UserIdentity(
    UserIdentityType Type,
    ReadOnlyMemory<byte> PrimaryField,
    ReadOnlyMemory<byte> SecondaryField,
    bool PositiveResponseRequested)
{
    /// <summary>The primary field as UTF-8 text (the username, or the token).</summary>
    public string PrimaryText => System.Text.Encoding.UTF8.GetString(PrimaryField.Span);

    /// <summary>The secondary field as UTF-8 text (the passcode for <see cref="UserIdentityType.UsernameAndPasscode"/>).</summary>
    public string SecondaryText => System.Text.Encoding.UTF8.GetString(SecondaryField.Span);

    /// <inheritdoc />
    public override string ToString() => $"{Type} user identity"; // never the secret itself
}
