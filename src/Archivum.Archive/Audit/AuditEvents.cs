namespace Archivum.Archive.Audit;

/// <summary>The Event IDs of PS3.15 A.5.3 (the DICOM audit messages), code system DCM.</summary>
public static class AuditEvents
{
    public static readonly AuditCode ApplicationActivity = Dcm("110100", "Application Activity");
    public static readonly AuditCode AuditLogUsed = Dcm("110101", "Audit Log Used");
    public static readonly AuditCode BeginTransferring = Dcm("110102", "Begin Transferring DICOM Instances");
    public static readonly AuditCode InstancesAccessed = Dcm("110103", "DICOM Instances Accessed");
    public static readonly AuditCode InstancesTransferred = Dcm("110104", "DICOM Instances Transferred");
    public static readonly AuditCode StudyDeleted = Dcm("110105", "DICOM Study Deleted");
    public static readonly AuditCode Export = Dcm("110106", "Export");
    public static readonly AuditCode Import = Dcm("110107", "Import");
    public static readonly AuditCode NetworkEntry = Dcm("110108", "Network Entry");
    public static readonly AuditCode PatientRecord = Dcm("110110", "Patient Record");
    public static readonly AuditCode Query = Dcm("110112", "Query");
    public static readonly AuditCode SecurityAlert = Dcm("110113", "Security Alert");
    public static readonly AuditCode UserAuthentication = Dcm("110114", "User Authentication");

    internal static AuditCode Dcm(string code, string display) => new(code, "DCM", display);
}

/// <summary>Event Type Codes that refine an Event ID (PS3.16 CID 401–404 and CID 4xx for security alerts).</summary>
public static class AuditEventTypes
{
    public static readonly AuditCode ApplicationStart = AuditEvents.Dcm("110120", "Application Start");
    public static readonly AuditCode ApplicationStop = AuditEvents.Dcm("110121", "Application Stop");
    public static readonly AuditCode Login = AuditEvents.Dcm("110122", "Login");
    public static readonly AuditCode Logout = AuditEvents.Dcm("110123", "Logout");
    public static readonly AuditCode NodeAuthentication = AuditEvents.Dcm("110126", "Node Authentication");
    public static readonly AuditCode EmergencyOverrideStarted = AuditEvents.Dcm("110127", "Emergency Override Started");
    public static readonly AuditCode NetworkConfiguration = AuditEvents.Dcm("110128", "Network Configuration");
    public static readonly AuditCode SecurityConfiguration = AuditEvents.Dcm("110129", "Security Configuration");
    public static readonly AuditCode SoftwareConfiguration = AuditEvents.Dcm("110131", "Software Configuration");
    public static readonly AuditCode UseOfRestrictedFunction = AuditEvents.Dcm("110132", "Use of Restricted Function");
    public static readonly AuditCode SecurityRolesChanged = AuditEvents.Dcm("110136", "Security Roles Changed");
    public static readonly AuditCode UserSecurityAttributesChanged = AuditEvents.Dcm("110137", "User Security Attributes Changed");
}
