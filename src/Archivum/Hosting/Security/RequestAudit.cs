using System.Security.Claims;
using Archivum.Archive.Audit;

namespace Archivum.Hosting.Security;

/// <summary>An audit record made by a request's signed-in user: their name, role and network address filled in.</summary>
internal static class RequestAudit
{
    public static AuditRecord Record(this HttpContext http, AuditCode auditEvent, AuditAction action, AuditOutcome outcome = AuditOutcome.Success) =>
        new(auditEvent, action, outcome)
        {
            User = http.User.FindFirstValue(ClaimTypes.Name),
            Role = http.User.FindFirstValue(ClaimTypes.Role),
            Address = http.Connection.RemoteIpAddress?.ToString(),
        };
}
