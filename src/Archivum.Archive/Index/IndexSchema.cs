namespace Archivum.Archive.Index;

/// <summary>
/// The index's tables: one per level of the DICOM information model (PS3.4 C.6.1), each row
/// keyed by its UID (or Patient ID and issuer), with the derived counts kept current by the
/// writer, and the events an administrator reviews (duplicates, demographic conflicts).
/// Text columns hold decoded values; <c>*_upper</c> columns hold them upper-cased for
/// case-insensitive person-name matching.
/// </summary>
internal static class IndexSchema
{
    public const int Version = 3;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS patients (
            id INTEGER PRIMARY KEY,
            patient_id TEXT NOT NULL,
            issuer TEXT NOT NULL,
            name TEXT,
            name_upper TEXT,
            birth_date TEXT,
            sex TEXT,
            UNIQUE (patient_id, issuer));
        CREATE INDEX IF NOT EXISTS patients_name ON patients (name_upper);

        CREATE TABLE IF NOT EXISTS studies (
            id INTEGER PRIMARY KEY,
            patient_ref INTEGER NOT NULL REFERENCES patients (id),
            study_uid TEXT NOT NULL UNIQUE,
            patient_name TEXT,
            patient_name_upper TEXT,
            patient_id_as_sent TEXT,
            patient_birth_date TEXT,
            patient_sex TEXT,
            study_date TEXT,
            study_time TEXT,
            accession_number TEXT,
            study_id TEXT,
            description TEXT,
            referring_physician TEXT,
            referring_physician_upper TEXT,
            institution TEXT,
            modalities TEXT,
            sop_classes TEXT,
            series_count INTEGER NOT NULL DEFAULT 0,
            instance_count INTEGER NOT NULL DEFAULT 0,
            size_bytes INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            stable_at TEXT);
        CREATE INDEX IF NOT EXISTS studies_patient ON studies (patient_ref);
        CREATE INDEX IF NOT EXISTS studies_date ON studies (study_date, study_time);
        CREATE INDEX IF NOT EXISTS studies_accession ON studies (accession_number);
        CREATE INDEX IF NOT EXISTS studies_updated ON studies (updated_at);
        CREATE INDEX IF NOT EXISTS studies_patient_name ON studies (patient_name_upper);

        CREATE TABLE IF NOT EXISTS series (
            id INTEGER PRIMARY KEY,
            study_ref INTEGER NOT NULL REFERENCES studies (id),
            series_uid TEXT NOT NULL UNIQUE,
            modality TEXT,
            series_number INTEGER,
            description TEXT,
            series_date TEXT,
            series_time TEXT,
            body_part TEXT,
            instance_count INTEGER NOT NULL DEFAULT 0);
        -- (study_ref, modality): Modalities in Study is matched per study, never by scanning every series of a modality.
        DROP INDEX IF EXISTS series_study;
        CREATE INDEX IF NOT EXISTS series_study_modality ON series (study_ref, modality);
        CREATE INDEX IF NOT EXISTS series_modality ON series (modality);

        CREATE TABLE IF NOT EXISTS instances (
            id INTEGER PRIMARY KEY,
            series_ref INTEGER NOT NULL REFERENCES series (id),
            sop_instance_uid TEXT NOT NULL UNIQUE,
            sop_class_uid TEXT NOT NULL,
            instance_number INTEGER,
            number_of_frames INTEGER,
            rows INTEGER,
            columns INTEGER,
            transfer_syntax TEXT NOT NULL,
            path TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            source_ae TEXT,
            received_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS instances_series ON instances (series_ref);

        -- Labels an administrator (or a de-identification for a research project) puts on a study;
        -- data scopes admit studies by them. Deleting the study deletes its labels.
        CREATE TABLE IF NOT EXISTS study_labels (
            study_ref INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (study_ref, label));
        CREATE INDEX IF NOT EXISTS study_labels_label ON study_labels (label);

        CREATE TABLE IF NOT EXISTS devices (
            ae_title TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            port INTEGER NOT NULL,
            description TEXT,
            may_store INTEGER NOT NULL DEFAULT 1,
            may_find INTEGER NOT NULL DEFAULT 1,
            may_retrieve INTEGER NOT NULL DEFAULT 1,
            may_receive INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            restrict_to_host INTEGER NOT NULL DEFAULT 0);

        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            study_uid TEXT,
            sop_instance_uid TEXT,
            detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS events_kind ON events (kind, at);
        """;

    /// <summary>What brings an index of an older version to this one, by the version it starts from.</summary>
    public static readonly IReadOnlyDictionary<int, string> Migrations = new Dictionary<int, string>
    {
        // 3: a device may be bound to its registered host (associations from elsewhere refused).
        [2] = "ALTER TABLE devices ADD COLUMN restrict_to_host INTEGER NOT NULL DEFAULT 0;",
    };
}
