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
    public const int Version = 5;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

        -- identity_key: empty for a Patient ID; for an empty one, the name and birth date
        -- (PatientIdentity): people sent without an ID are never merged into one record.
        CREATE TABLE IF NOT EXISTS patients (
            id INTEGER PRIMARY KEY,
            patient_id TEXT NOT NULL,
            issuer TEXT NOT NULL,
            name TEXT,
            name_upper TEXT,
            birth_date TEXT,
            sex TEXT,
            identity_key TEXT NOT NULL DEFAULT '',
            UNIQUE (patient_id, issuer, identity_key));
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

        -- patient_*: the patient identity in the instance's own header (its study's patient may be
        -- another's, when a sender mixed them): what patient export and erasure act on.
        -- deidentified_for: the research project whose de-identification wrote the instance (null:
        -- a sender's); a research scope admits a study only when every instance in it has one.
        -- original_*: the transfer syntax and size an instance arrived in, once storage compression
        -- has re-encoded it (null: stored as it arrived).
        -- (Comments stay outside the column lists: SQLite's DROP COLUMN misreads them.)
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
            received_at TEXT NOT NULL,
            patient_id TEXT NOT NULL DEFAULT '',
            patient_issuer TEXT NOT NULL DEFAULT '',
            patient_identity_key TEXT NOT NULL DEFAULT '',
            deidentified_for TEXT,
            original_transfer_syntax TEXT,
            original_size_bytes INTEGER);
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
        // 4: patients without an ID are told apart by name and birth date (the table is rebuilt:
        // SQLite cannot change a UNIQUE constraint in place); each instance keeps the patient
        // identity of its own header, taken from its study's patient for the instances already there.
        [3] = """
            CREATE TABLE patients_v4 (
                id INTEGER PRIMARY KEY,
                patient_id TEXT NOT NULL,
                issuer TEXT NOT NULL,
                name TEXT,
                name_upper TEXT,
                birth_date TEXT,
                sex TEXT,
                identity_key TEXT NOT NULL DEFAULT '',
                UNIQUE (patient_id, issuer, identity_key));
            INSERT INTO patients_v4 (id, patient_id, issuer, name, name_upper, birth_date, sex, identity_key)
                SELECT id, patient_id, issuer, name, name_upper, birth_date, sex,
                       CASE WHEN patient_id = '' THEN coalesce(name_upper, '') || '|' || coalesce(birth_date, '') ELSE '' END FROM patients;
            DROP TABLE patients;
            ALTER TABLE patients_v4 RENAME TO patients;
            CREATE INDEX IF NOT EXISTS patients_name ON patients (name_upper);
            ALTER TABLE instances ADD COLUMN patient_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE instances ADD COLUMN patient_issuer TEXT NOT NULL DEFAULT '';
            ALTER TABLE instances ADD COLUMN patient_identity_key TEXT NOT NULL DEFAULT '';
            ALTER TABLE instances ADD COLUMN deidentified_for TEXT;
            UPDATE instances SET deidentified_for = (SELECT substr(min(l.label), 10) FROM series se JOIN study_labels l ON l.study_ref = se.study_ref
                                                     WHERE se.id = instances.series_ref AND l.label GLOB 'research:*')
                WHERE source_ae = 'DEIDENTIFY';
            UPDATE instances SET (patient_id, patient_issuer, patient_identity_key) =
                (SELECT p.patient_id, p.issuer, p.identity_key FROM series se JOIN studies st ON st.id = se.study_ref
                 JOIN patients p ON p.id = st.patient_ref WHERE se.id = instances.series_ref);
            """,
        // 5: storage compression keeps the syntax and size an instance arrived in.
        [4] = """
            ALTER TABLE instances ADD COLUMN original_transfer_syntax TEXT;
            ALTER TABLE instances ADD COLUMN original_size_bytes INTEGER;
            """,
    };

    /// <summary>Indexes on columns that older versions lack: created after the migrations have added them.</summary>
    public const string AfterMigrations = """
        CREATE INDEX IF NOT EXISTS instances_patient ON instances (patient_id, patient_issuer, patient_identity_key);
        """;
}
