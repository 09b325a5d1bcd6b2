namespace Archivum.Archive.Audit;

/// <summary>
/// A Participant Object of an audit message (PS3.15 A.5.2.5): what the event touched — a patient,
/// a study, a query, a user account, a file — with its RFC 3881 type code and role.
/// </summary>
public sealed record AuditObject(string Id, int TypeCode, int TypeCodeRole, AuditCode IdType)
{
    /// <summary>The patient (type 1 person, role 1 patient, RFC-3881 "Patient Number").</summary>
    public static AuditObject Patient(string patientId) => new(patientId, 1, 1, new AuditCode("2", "RFC-3881", "Patient Number"));

    /// <summary>A study (type 2 system object, role 3 report, DCM "Study Instance UID").</summary>
    public static AuditObject Study(string studyUid) => new(studyUid, 2, 3, AuditEvents.Dcm("110180", "Study Instance UID"));

    /// <summary>A query (type 2, role 24 query), its text in <see cref="Query"/>; the ID is the SOP Class or the resource queried.</summary>
    public static AuditObject QueryOn(string what, string query) => new(what, 2, 24, AuditEvents.Dcm("110181", "SOP Class UID")) { Query = query };

    /// <summary>A user account (type 1 person, role 11 security user entity, RFC-3881 "User Identifier").</summary>
    public static AuditObject User(string name) => new(name, 1, 11, new AuditCode("11", "RFC-3881", "User Identifier"));

    /// <summary>A file or a folder exported or imported (type 2, role 4 resource, RFC-3881 URI).</summary>
    public static AuditObject Resource(string uri) => new(uri, 2, 4, new AuditCode("12", "RFC-3881", "URI"));

    /// <summary>The query text (ParticipantObjectQuery), for query objects.</summary>
    public string? Query { get; init; }

    /// <summary>Free text (ParticipantObjectDetail), e.g. the number of instances.</summary>
    public string? Detail { get; init; }
}
