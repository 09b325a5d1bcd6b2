"""Checks de-identified files against their originals, independently of Archivum's code.

Usage: deid_check.py KEY_FILE PROFILE SOURCE_DIR OUTPUT_DIR
Prints one JSON object: {"checked": N, "problems": ["file: what", ...]}.
       deid_check.py select DEST_DIR CORPUS_DIR...
Copies the corpus files pydicom reads that have study, series and SOP Instance UIDs, one file per
SOP Instance UID (pydicom's corpus has families of files sharing one), and prints their number.

What it checks, with pydicom reading both sides and dciodvfy (dicom3tools) judging validity:
- every source instance has an output, found under the UID that the project's key gives its
  SOP Instance UID (HMAC-SHA-256, computed here from the documented scheme), with its study and
  series UIDs mapped the same way;
- no value of an identifying attribute of the source (the list below, taken from PS3.15 Table
  E.1-1, searched at every depth) and no private value is left anywhere in the output, neither
  among its decoded values nor in its bytes, unless the profile keeps it or the source holds it
  in an attribute that the profile keeps as well;
- the output is marked (Patient Identity Removed, the method's codes) as PS3.15 E.1.1 asks;
- with retain-modified-dates, every date moved by the patient's one shift;
- dciodvfy finds no kind of error in the output that it does not find in the source.
"""
import hashlib, hmac, json, os, re, subprocess, sys, datetime
import pydicom

if sys.argv[1] == 'select':
    import shutil, warnings
    warnings.simplefilter('ignore')
    dest, seen = sys.argv[2], set()
    for corpus in sys.argv[3:]:
        for name in sorted(os.listdir(corpus)):
            path = os.path.join(corpus, name)
            if not name.endswith('.dcm') or not os.path.isfile(path):
                continue
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
                uids = [str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID)]
            except Exception:
                continue
            if uids[2] not in seen:
                seen.add(uids[2])
                shutil.copy(path, dest)
    print(len(seen))
    sys.exit(0)

import warnings
warnings.simplefilter('ignore')
key_file, profile, source_dir, output_dir = sys.argv[1:5]
key = bytes.fromhex(open(key_file).read().strip())
options = set(profile.split(','))

def mac(kind, text):
    return bytearray(hmac.new(key, kind.encode() + b'\0' + text.encode(), hashlib.sha256).digest())

def new_uid(uid):
    h = mac('uid', uid)
    h[6] = (h[6] & 0x0F) | 0x80
    h[8] = (h[8] & 0x3F) | 0x80
    return '2.25.' + str(int.from_bytes(h[:16], 'big'))

def shift_days(patient):
    return -(int.from_bytes(mac('date-shift', patient)[:4], 'little') % 3652 + 1)

# Attributes that identify (PS3.15 Table E.1-1, actions other than K in the Basic Profile).
IDENTIFYING = {
    'PatientName', 'PatientID', 'PatientBirthDate', 'PatientBirthTime', 'OtherPatientIDs', 'OtherPatientNames',
    'PatientAddress', 'PatientTelephoneNumbers', 'PatientMotherBirthName', 'PatientBirthName', 'MilitaryRank',
    'EthnicGroup', 'Occupation', 'AdditionalPatientHistory', 'PatientComments', 'IssuerOfPatientID',
    'AccessionNumber', 'StudyID', 'InstitutionName', 'InstitutionAddress', 'InstitutionalDepartmentName',
    'ReferringPhysicianName', 'ReferringPhysicianAddress', 'PerformingPhysicianName', 'NameOfPhysiciansReadingStudy',
    'OperatorsName', 'PhysiciansOfRecord', 'RequestingPhysician', 'StationName', 'DeviceSerialNumber',
    'StudyDescription', 'SeriesDescription', 'ProtocolName', 'RequestedProcedureDescription',
    'PerformedProcedureStepDescription', 'PerformedProcedureStepID', 'ImageComments', 'StudyComments',
    'ScheduledProcedureStepDescription', 'ReasonForStudy', 'RequestedProcedureID', 'AdmissionID',
    'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'FrameOfReferenceUID', 'ReferencedSOPInstanceUID',
    'MediaStorageSOPInstanceUID', 'StudyDate', 'SeriesDate', 'AcquisitionDate', 'ContentDate', 'InstanceCreationDate',
    'PersonName', 'TreatmentMachineName', 'DetectorID', 'PlateID', 'CassetteID', 'GantryID', 'ContentCreatorName',
    'VerifyingObserverName', 'ReviewerName', 'TextString', 'DerivationDescription', 'SeriesTime', 'StudyTime',
    'AcquisitionDateTime', 'IrradiationEventUID', 'StorageMediaFileSetUID', 'SynchronizationFrameOfReferenceUID',
}
KEPT_BY_OPTION = {
    'retain-modified-dates': {'SeriesTime', 'StudyTime'},  # times of day stay when the dates move
    'retain-full-dates': {'StudyDate', 'SeriesDate', 'AcquisitionDate', 'ContentDate', 'InstanceCreationDate', 'SeriesTime', 'StudyTime', 'AcquisitionDateTime'},
    'retain-device-identity': {'StationName', 'DeviceSerialNumber', 'DetectorID', 'PlateID', 'CassetteID', 'GantryID', 'TreatmentMachineName'},
    'retain-institution-identity': {'InstitutionName', 'InstitutionAddress', 'InstitutionalDepartmentName'},
    'retain-uids': {'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'FrameOfReferenceUID', 'ReferencedSOPInstanceUID', 'MediaStorageSOPInstanceUID', 'IrradiationEventUID', 'StorageMediaFileSetUID', 'SynchronizationFrameOfReferenceUID'},
    'clean-descriptors': set(),  # cleaned text may keep what is not identifying; checked below through the other values
}
for option in options:
    IDENTIFYING -= KEPT_BY_OPTION.get(option, set())
if 'clean-descriptors' in options:
    # Descriptions survive, cleaned: their own text is not forbidden, the identifying values inside them are.
    IDENTIFYING -= {'StudyDescription', 'SeriesDescription', 'ProtocolName', 'RequestedProcedureDescription',
                    'PerformedProcedureStepDescription', 'ImageComments', 'StudyComments', 'ScheduledProcedureStepDescription',
                    'ReasonForStudy', 'AdditionalPatientHistory', 'PatientComments', 'DerivationDescription'}

TEXT_VRS = {'AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT'}

def values(elem):
    if elem.VR == 'SQ':
        return []
    v = elem.value
    items = v if isinstance(v, (list, pydicom.multival.MultiValue)) else [v]
    out = []
    for x in items:
        if x is None:
            continue
        if isinstance(x, bytes):
            continue
        s = str(x).strip()
        if isinstance(x, pydicom.valuerep.PersonName):
            out.extend(p.strip() for p in re.split(r'[\^=]', s))
        out.append(s)
    return [s for s in out if s]

def walk(ds):
    for elem in ds.iterall():
        yield elem

def dciodvfy_errors(path):
    run = subprocess.run(['dciodvfy', path], capture_output=True, text=True, errors='replace')
    text = run.stdout + run.stderr
    lines = text.splitlines()
    fatal = 'Assertion' in text or any('Tags out of order' in l or 'Information Object Not found' in l for l in lines)
    # UIDs and numbers change by design; the kind of error is what must not be new.
    return fatal, {re.sub(r'[0-9][0-9.]*', '#', l) for l in lines if l.startswith('Error')}

outputs = {}
for root, _, files in os.walk(output_dir):
    for f in files:
        if f.endswith('.dcm'):
            outputs[f[:-4]] = os.path.join(root, f)

problems = []
checked = 0
for name in sorted(os.listdir(source_dir)):
    src_path = os.path.join(source_dir, name)
    src = pydicom.dcmread(src_path, force=True)
    sop = str(src.get('SOPInstanceUID', ''))
    expected = new_uid(sop) if 'retain-uids' not in options else sop
    out_path = outputs.get(expected)
    if out_path is None:
        problems.append(f'{name}: no output named {expected}.dcm')
        continue
    checked += 1
    out = pydicom.dcmread(out_path, force=True)
    raw = open(out_path, 'rb').read()

    forbidden, kept_text = set(), []
    for elem in walk(src):
        vals = values(elem)
        # Private text may say anything; private numbers (counts, rates) identify nobody.
        if (elem.tag.is_private and elem.VR in TEXT_VRS) or elem.keyword in IDENTIFYING:
            forbidden.update(v for v in vals if len(v) >= 4)
        elif elem.VR not in ('SQ',):
            kept_text.extend(vals)
    for fm in src.file_meta.iterall() if hasattr(src, 'file_meta') else []:
        if fm.keyword == 'MediaStorageSOPInstanceUID' and 'retain-uids' not in options:
            forbidden.update(values(fm))
    # New UIDs are random-looking digits: a short number of the source may occur inside one by
    # chance, so UIDs are compared whole; every other value is searched for the forbidden text.
    out_elems = list(walk(out)) + list(out.file_meta.iterall())
    out_uids = {v for e in out_elems if e.VR == 'UI' for v in values(e)}
    out_values = [v for e in out_elems if e.VR != 'UI' for v in values(e)]
    for value in sorted(forbidden):
        if value.upper() in ('ANONYMOUS', 'ANONYMIZED') or any(value.lower() in k.lower() for k in kept_text):
            continue  # the source also holds it where the profile keeps it (a station named like the model)
        if value in out_uids or any(value.lower() in v.lower() for v in out_values):
            problems.append(f'{name}: the value {value!r} is still among the output\'s values')
        elif value.isascii() and (len(value) >= 10 or (len(value) >= 6 and any(c.isalpha() for c in value))) and value.encode() in raw:
            problems.append(f'{name}: the value {value!r} is still in the output\'s bytes')

    if out.get('PatientIdentityRemoved') != 'YES':
        problems.append(f'{name}: Patient Identity Removed is {out.get("PatientIdentityRemoved")!r}')
    codes = [i.CodeValue for i in out.get('DeidentificationMethodCodeSequence', [])]
    if '113100' not in codes:
        problems.append(f'{name}: the method codes {codes} lack 113100')
    if 'retain-uids' not in options:
        for kw in ('StudyInstanceUID', 'SeriesInstanceUID'):
            if kw in src and str(out.get(kw)) != new_uid(str(src.get(kw))):
                problems.append(f'{name}: {kw} {out.get(kw)} is not the key\'s mapping of the original')
    if 'retain-modified-dates' in options and 'StudyDate' in src and len(str(src.StudyDate)) == 8:
        patient = str(src.get('PatientID', '')) or (str(src.get('PatientName', '')) + '|' + str(src.get('PatientBirthDate', '')))
        want = (datetime.datetime.strptime(str(src.StudyDate), '%Y%m%d') + datetime.timedelta(days=shift_days(patient))).strftime('%Y%m%d')
        if str(out.get('StudyDate')) != want:
            problems.append(f'{name}: StudyDate {out.get("StudyDate")} is not {src.StudyDate} shifted to {want}')
        if out.get('LongitudinalTemporalInformationModified') != 'MODIFIED':
            problems.append(f'{name}: Longitudinal Temporal Information Modified is {out.get("LongitudinalTemporalInformationModified")!r}')

    fatal, before = dciodvfy_errors(src_path)
    if not fatal:
        out_fatal, after = dciodvfy_errors(out_path)
        for error in sorted(after - before):
            problems.append(f'{name}: dciodvfy: {error}')

print(json.dumps({'checked': checked, 'problems': problems}))
