using System.Globalization;
using System.Net;
using Archivum.Archive.Ingest;
using Archivum.Dicom.Model;

namespace Archivum.Hosting;

/// <summary>
/// The settings of <c>archivum serve</c>, section "Archivum" of the configuration: built-in
/// defaults, then the JSON file of <c>--config</c>, then environment variables
/// (<c>ARCHIVUM__DICOMPORT=104</c>), then the command-line flags.
/// </summary>
public sealed class ServeSettings
{
    public const string Section = "Archivum";

    /// <summary>Folder of the index and the instances.</summary>
    public string DataFolder { get; set; } = "archivum-data";

    /// <summary>The archive's AE title.</summary>
    public string AETitle { get; set; } = "ARCHIVUM";

    /// <summary>Address both listeners bind to (127.0.0.1 by default; 0.0.0.0 for every interface).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public int DicomPort { get; set; } = 11112;

    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTPS port, used when a certificate is configured (Tls:CertificateFile); 0: no HTTPS.</summary>
    public int HttpsPort { get; set; } = 8443;

    /// <summary>DICOM TLS port (PS3.15 B.1; 2762 is IANA's dicom-tls), used when a certificate is configured; 0: none.</summary>
    public int DicomTlsPort { get; set; } = 2762;

    /// <summary>The certificate for HTTPS and DICOM TLS (Archivum:Tls:…).</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Below this free space on the store's disk the archive reports not ready.</summary>
    public long MinimumFreeMegabytes { get; set; } = 1024;

    /// <summary>KeepStored, Replace or Reject: what another instance under a stored SOP Instance UID does.</summary>
    public string DuplicatePolicy { get; set; } = nameof(Archive.Ingest.DuplicatePolicy.KeepStored);

    /// <summary>Person names match regardless of case.</summary>
    public bool CaseInsensitivePersonNames { get; set; } = true;

    /// <summary>A study is stable after this many seconds without a new instance.</summary>
    public int StableAfterSeconds { get; set; } = 60;

    /// <summary>Most DICOM associations at once.</summary>
    public int MaxAssociations { get; set; } = 100;

    /// <summary>DICOM associations at once from one calling AE title.</summary>
    public int MaxAssociationsPerCallingAETitle { get; set; } = 20;

    /// <summary>DICOM associations at once from one client address.</summary>
    public int MaxAssociationsPerAddress { get; set; } = 40;

    /// <summary>accept (default: a first run on a laptop) or reject (production): associations from AE titles the device registry does not know.</summary>
    public string UnknownCallingAETitles { get; set; } = "accept";

    /// <summary>Which transfer syntax a context gets when several proposed are acceptable: <c>proposer</c> (its first) or <c>archive</c> (lossless compressed, uncompressed, lossy).</summary>
    public string TransferSyntaxPreference { get; set; } = "proposer";

    /// <summary>Refuse associations addressed to another AE title (PS3.8 reject reason 7).</summary>
    public bool CheckCalledAETitle { get; set; } = true;

    /// <summary>Largest STOW-RS request body, in megabytes (413 beyond it).</summary>
    public long MaxStowMegabytes { get; set; } = 16 * 1024;

    /// <summary>Most parts (instances) in one STOW-RS request (413 beyond it).</summary>
    public int MaxStowParts { get; set; } = 10_000;

    /// <summary>The folder of OHIF's built dist/ served at /viewer; null: viewer/ beside the program, or the one tools/ohif/fetch.sh put in the source tree.</summary>
    public string? ViewerFolder { get; set; }

    /// <summary>Origins allowed to call the HTTP API and DICOMweb from a browser (CORS), e.g. "https://viewer.hospital.org"; none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>The folder de-identified copies may be written into (destination folder of POST /api/studies/{uid}/deidentify); none: that destination is off.</summary>
    public string? ExportFolder { get; set; }

    /// <summary>The audit trail's forwarding (Archivum:Audit:…).</summary>
    public AuditSettings Audit { get; set; } = new();

    /// <summary>Authentication and its limits (Archivum:Security:…).</summary>
    public SecuritySettings Security { get; set; } = new();

    /// <summary>Lossless re-encoding of stored instances by rule (Archivum:StorageCompression:…); off until a rule is given.</summary>
    public StorageCompressionSettings StorageCompression { get; set; } = new();

    /// <summary>Known remote AEs by AE title (C-MOVE destinations): "Devices": { "WORKSTATION": { "Host": "10.0.0.5", "Port": 104 } }.</summary>
    public Dictionary<string, DeviceSettings> Devices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every wrong value, each as "Archivum:Setting = value: why".</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string setting, object? value, string why)
        {
            if (!ok)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:{setting} = {value ?? "(empty)"}: {why}"));
            }
        }
        Check(!string.IsNullOrWhiteSpace(DataFolder), nameof(DataFolder), DataFolder, "give the folder for the index and the instances");
        Check(DicomAETitle.Validate(AETitle) is null, nameof(AETitle), AETitle, DicomAETitle.Validate(AETitle) ?? "");
        Check(IPAddress.TryParse(ListenAddress, out _), nameof(ListenAddress), ListenAddress, "not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::)");
        Check(DicomPort is >= 1 and <= 65535, nameof(DicomPort), DicomPort, "not a TCP port (1 to 65535)");
        Check(HttpPort is >= 1 and <= 65535, nameof(HttpPort), HttpPort, "not a TCP port (1 to 65535)");
        Check(DicomPort != HttpPort, nameof(HttpPort), HttpPort, "the DICOM and HTTP ports must differ");
        Check(Tls.Problem() is null, "Tls", Tls.CertificateFile, Tls.Problem() ?? "");
        if (Tls.Enabled)
        {
            Check(HttpsPort is >= 0 and <= 65535, nameof(HttpsPort), HttpsPort, "not a TCP port (1 to 65535, or 0 for none)");
            Check(DicomTlsPort is >= 0 and <= 65535, nameof(DicomTlsPort), DicomTlsPort, "not a TCP port (1 to 65535, or 0 for none)");
            int[] ports = [DicomPort, HttpPort, HttpsPort, DicomTlsPort];
            Check(ports.Where(p => p != 0).Distinct().Count() == ports.Count(p => p != 0), nameof(HttpsPort), $"{HttpsPort}, {nameof(DicomTlsPort)} = {DicomTlsPort}", "the DICOM, HTTP, HTTPS and DICOM TLS ports must all differ");
        }
        Check(MinimumFreeMegabytes >= 0, nameof(MinimumFreeMegabytes), MinimumFreeMegabytes, "cannot be negative");
        Check(Enum.TryParse<DuplicatePolicy>(DuplicatePolicy, ignoreCase: true, out _), nameof(DuplicatePolicy), DuplicatePolicy, "give KeepStored, Replace, ReplaceAnywhere or Reject");
        Check(MaxAssociations is >= 1 and <= 10_000, nameof(MaxAssociations), MaxAssociations, "give 1 to 10000");
        Check(MaxAssociationsPerCallingAETitle is >= 1 and <= 10_000, nameof(MaxAssociationsPerCallingAETitle), MaxAssociationsPerCallingAETitle, "give 1 to 10000");
        Check(MaxAssociationsPerAddress is >= 1 and <= 10_000, nameof(MaxAssociationsPerAddress), MaxAssociationsPerAddress, "give 1 to 10000");
        Check(StableAfterSeconds is >= 1 and <= 7 * 24 * 3600, nameof(StableAfterSeconds), StableAfterSeconds, "give 1 second to 7 days");
        foreach (string origin in CorsOrigins)
        {
            Check(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && origin == uri.GetLeftPart(UriPartial.Authority),
                nameof(CorsOrigins), origin, "not an origin: scheme, host and port only, e.g. https://viewer.example.org");
        }
        Check(MaxStowMegabytes is >= 1 and <= 1024 * 1024, nameof(MaxStowMegabytes), MaxStowMegabytes, "give 1 to 1048576 (1 TB)");
        Check(MaxStowParts is >= 1 and <= 1_000_000, nameof(MaxStowParts), MaxStowParts, "give 1 to 1000000");
        Check(Security.SessionIdleMinutes is >= 1 and <= 24 * 60, "Security:SessionIdleMinutes", Security.SessionIdleMinutes, "give 1 to 1440 minutes");
        Check(Security.SessionHours is >= 1 and <= 7 * 24, "Security:SessionHours", Security.SessionHours, "give 1 to 168 hours");
        errors.AddRange(Security.Jwt.Problems().Select(p => $"{Section}:{p}"));
        errors.AddRange(Audit.Syslog.Problems().Select(p => $"{Section}:{p}"));
        errors.AddRange(StorageCompression.Problems().Select(p => $"{Section}:{p}"));
        Check(ExportFolder is null || Path.IsPathFullyQualified(ExportFolder), nameof(ExportFolder), ExportFolder, "give an absolute path");
        Check(Security.DicomUserIdentity is "optional" or "required", "Security:DicomUserIdentity", Security.DicomUserIdentity, "give optional or required");
        Check(UnknownCallingAETitles is "accept" or "reject", nameof(UnknownCallingAETitles), UnknownCallingAETitles, "give accept or reject");
        Check(TransferSyntaxPreference is "proposer" or "archive", nameof(TransferSyntaxPreference), TransferSyntaxPreference, "give proposer or archive");
        foreach (var (ae, device) in Devices)
        {
            Check(DicomAETitle.Validate(ae) is null, $"Devices:{ae}", ae, DicomAETitle.Validate(ae) ?? "");
            Check(!string.IsNullOrWhiteSpace(device.Host), $"Devices:{ae}:Host", device.Host, "give the device's host name or address");
            Check(device.Port is >= 1 and <= 65535, $"Devices:{ae}:Port", device.Port, "not a TCP port (1 to 65535)");
        }
        return errors;
    }

    /// <summary>Where a known AE listens and what it may do (everything unless told otherwise).</summary>
    public sealed class DeviceSettings
    {
        public string Host { get; set; } = "";

        public int Port { get; set; }

        public string? Description { get; set; }

        public bool MayStore { get; set; } = true;

        public bool MayFind { get; set; } = true;

        public bool MayRetrieve { get; set; } = true;

        public bool MayReceive { get; set; } = true;

        /// <summary>Accept associations under this AE title only from Host.</summary>
        public bool RestrictToHost { get; set; }
    }

    public DuplicatePolicy ParsedDuplicatePolicy => Enum.Parse<DuplicatePolicy>(DuplicatePolicy, ignoreCase: true);
}
