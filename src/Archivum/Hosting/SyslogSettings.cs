namespace Archivum.Hosting;

/// <summary>The <c>Archivum:Audit:Syslog</c> settings: the collector the audit trail is forwarded to (IHE ATNA).</summary>
public sealed class SyslogSettings
{
    /// <summary>The collector's host; forwarding is off while it is unset.</summary>
    public string? Host { get; set; }

    /// <summary>Its port: by default 6514 for TLS (RFC 5425), 514 for UDP (RFC 5426).</summary>
    public int Port { get; set; }

    /// <summary>tls (the default, as ATNA asks) or udp.</summary>
    public string Protocol { get; set; } = "tls";

    /// <summary>The authorities to trust for the collector's certificate (PEM); by default the system's.</summary>
    public string? CaFile { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Host);

    public int EffectivePort => Port != 0 ? Port : Protocol == "udp" ? 514 : 6514;

    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }
        if (Protocol is not ("tls" or "udp"))
        {
            yield return $"Audit:Syslog:Protocol = {Protocol}: give tls or udp";
        }
        if (Port is < 0 or > 65535)
        {
            yield return $"Audit:Syslog:Port = {Port}: not a TCP or UDP port";
        }
        if (CaFile is not null && !File.Exists(CaFile))
        {
            yield return $"Audit:Syslog:CaFile = {CaFile}: no such file";
        }
    }
}
