namespace Archivum.Dicom.Network.Pdus;

/// <summary>A presentation context item of an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2): id, abstract syntax and proposed transfer syntaxes.</summary>
public sealed record PresentationContextRequest(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    /// <inheritdoc />
    public bool Equals(PresentationContextRequest? other) =>
        other is not null && Id == other.Id && AbstractSyntax == other.AbstractSyntax && TransferSyntaxes.SequenceEqual(other.TransferSyntaxes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, AbstractSyntax, TransferSyntaxes.Count);
}
