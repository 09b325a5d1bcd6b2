namespace Archivum.Archive.Audit;

/// <summary>A coded value of an audit message (csd-code, codeSystemName, originalText).</summary>
public sealed record AuditCode(string Code, string System, string Display);
