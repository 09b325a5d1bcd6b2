namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// A presentation context a requestor proposes: an abstract syntax, its transfer syntaxes in order
/// of preference, and the roles wanted (SCU only by default; SCP as well for C-GET's storage sub-operations).
/// </summary>
public sealed record ProposedPresentationContext(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes, bool ScuRole = true, bool ScpRole = false)
{
    /// <summary>True when the roles differ from the default (SCU only) and need a role selection sub-item.</summary>
    public bool NeedsRoleSelection => !ScuRole || ScpRole;
}
