using Archivum.Archive.Audit;

namespace Archivum.Hosting.Security;

/// <summary>Marks endpoints whose requests <see cref="AccessAudit"/> records.</summary>
internal static class EndpointAuditing
{
    public static TBuilder Audited<TBuilder>(this TBuilder builder, AuditCode auditEvent, AuditAction action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedAs(auditEvent, action));
}
