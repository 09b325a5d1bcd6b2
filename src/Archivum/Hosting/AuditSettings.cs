namespace Archivum.Hosting;

/// <summary>The <c>Archivum:Audit</c> settings.</summary>
public sealed class AuditSettings
{
    /// <summary>Forwarding of the audit trail to a syslog collector (Archivum:Audit:Syslog:…).</summary>
    public SyslogSettings Syslog { get; set; } = new();
}
