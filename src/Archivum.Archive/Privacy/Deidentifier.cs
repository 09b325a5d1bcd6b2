using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Privacy;

/// <summary>
/// Applies PS3.15 Annex E's Basic Application Level Confidentiality Profile, with the options of a
/// <see cref="DeidentificationProfile"/>, to a data set: every attribute Table E.1-1 lists gets
/// its action at every depth of nesting, private attributes go, dates the table does not list
/// are treated as its dates are, and the result is marked as de-identified (E.1.1: Patient
/// Identity Removed, De-identification Method and its codes, Longitudinal Temporal Information
/// Modified). Replacement values come from the project's <see cref="PseudonymKey"/>, so the same
/// patient and the same UID map to the same pseudonym in every instance of the project.
/// </summary>
public sealed partial class Deidentifier
{
    private readonly DeidentificationProfile _profile;
    private readonly PseudonymKey _key;
    private readonly ConfidentialityRules _rules;

    public Deidentifier(DeidentificationProfile profile, PseudonymKey key, ConfidentialityProfileTable? table = null)
    {
        profile.Validate();
        _profile = profile;
        _key = key;
        _rules = (table ?? ConfidentialityProfileTable.Standard).For(profile.Options);
    }

    private ConfidentialityOptions Options => _profile.Options;

    /// <summary>
    /// De-identifies a file: its data set is changed in place and returned in a new file with fresh
    /// file meta information (the source's AE title and implementation do not travel) and no
    /// preamble (a dual-personality file's preamble can hold anything). Throws
    /// <see cref="DeidentificationRefusedException"/> for an instance the profile cannot make safe.
    /// </summary>
    public DicomFile Deidentify(DicomFile file)
    {
        Deidentify(file.Dataset);
        return new DicomFile(new DicomDataset(), file.Dataset, file.TransferSyntax);
    }

    /// <summary>De-identifies a data set in place (see <see cref="Deidentify(DicomFile)"/>).</summary>
    public void Deidentify(DicomDataset dataset)
    {
        if (!_profile.AllowBurnedInAnnotation && string.Equals(dataset.GetString(DicomTags.BurnedInAnnotation), "YES", StringComparison.OrdinalIgnoreCase))
        {
            // E.3.1: text burnt into the pixels (a name on an ultrasound frame) is beyond what an
            // attribute-level profile cleans; passing it on would leak what the header no longer shows.
            throw new DeidentificationRefusedException("the instance declares burned-in annotation (0028,0301 YES): its pixels may show identifying text, which this profile does not remove; allow burned-in annotation to pass it on anyway");
        }
        var context = new Context(this, dataset);
        Process(dataset, context, inContentTree: false);
        Mark(dataset);
    }

    private void Process(DicomDataset dataset, Context context, bool inContentTree)
    {
        var keptCreators = new HashSet<DicomTag>();
        foreach (var element in dataset.ToArray())
        {
            var tag = element.Tag;
            if (tag.IsPrivate && !tag.IsPrivateCreator && IsSafePrivate(dataset, tag))
            {
                // E.3.10: a private attribute Table E.3.10-1 lists as safe stays, with its creator.
                keptCreators.Add(tag.PrivateCreatorTag);
                if (element is DicomSequence safeSequence)
                {
                    foreach (var item in safeSequence.Items)
                    {
                        Process(item, context, inContentTree);
                    }
                }
                continue;
            }
            if (tag.Group == 0x0002 || tag.IsGroupLength || (tag.IsPrivate && !tag.IsPrivateCreator))
            {
                // File meta information is written afresh; group lengths would be stale; private
                // attributes are unknown to the profile unless safe (above).
                dataset.Remove(tag);
                continue;
            }
            if (tag.IsPrivateCreator)
            {
                continue; // decided below, once it is known whether a safe attribute needs it
            }
            var action = ActionFor(element, inContentTree);
            Apply(dataset, element, action, context, inContentTree || tag == DicomTags.ContentSequence);
        }
        dataset.RemoveAll(e => e.Tag.IsPrivateCreator && !keptCreators.Contains(e.Tag));
    }

    /// <summary>Whether Retain Safe Private keeps this private attribute: its creator, group and element byte are in Table E.3.10-1.</summary>
    private bool IsSafePrivate(DicomDataset dataset, DicomTag tag) =>
        Options.HasFlag(ConfidentialityOptions.RetainSafePrivate)
        && dataset.GetString(tag.PrivateCreatorTag) is { Length: > 0 } creator
        && SafePrivateAttributes.Standard.IsSafe(creator, tag.Group, (byte)tag.Element);

    private ProfileAction ActionFor(DicomElement element, bool inContentTree)
    {
        if (inContentTree && element.Tag == DicomTags.TextValue)
        {
            // The Content Sequence is D in Table E.1-1: an SR's free text may say anything, so it is
            // replaced, or cleaned when structured content is kept (E.3.3).
            return Options.HasFlag(ConfidentialityOptions.CleanStructuredContent) ? ProfileAction.Clean : ProfileAction.Dummy;
        }
        if (_rules.TryGetAction(element.Tag, out var action))
        {
            if (action == ProfileAction.Remove && inContentTree && IsContentItemValue(element.Tag))
            {
                // In an SR content item its value is type 1: removing it would break the tree
                // (PS3.3 C.17.3), so it is cleaned or replaced with a dummy instead.
                return Options.HasFlag(ConfidentialityOptions.CleanStructuredContent) ? ProfileAction.Clean : ProfileAction.Dummy;
            }
            return action;
        }
        if (element.VR is DicomVR.DA or DicomVR.DT or DicomVR.TM)
        {
            // Dates and times the table does not list (a module newer than it, say) are treated
            // like the ones it does (E.3.6): kept, shifted, or replaced.
            return Options.HasFlag(ConfidentialityOptions.RetainLongitudinalFullDates) ? ProfileAction.Keep
                : Options.HasFlag(ConfidentialityOptions.RetainLongitudinalModifiedDates) ? ProfileAction.Clean
                : ProfileAction.Dummy;
        }
        return ProfileAction.Keep;
    }

    private static bool IsContentItemValue(DicomTag tag) =>
        tag == DicomTags.TextValue || tag == DicomTags.PersonName || tag == DicomTags.Date || tag == DicomTags.Time
        || tag == DicomTags.DateTime || tag == DicomTags.UID;

    private void Apply(DicomDataset dataset, DicomElement element, ProfileAction action, Context context, bool inContentTree)
    {
        var tag = element.Tag;
        if (element is DicomSequence sequence)
        {
            switch (action)
            {
                case ProfileAction.Remove:
                    dataset.Remove(tag);
                    break;
                case ProfileAction.Empty:
                    dataset.AddOrReplace(new DicomSequence(tag));
                    break;
                default:
                    // K, D, C and U on a sequence keep its items, each de-identified in turn.
                    foreach (var item in sequence.Items)
                    {
                        Process(item, context, inContentTree);
                    }
                    break;
            }
            return;
        }
        switch (action)
        {
            case ProfileAction.Keep:
                return;
            case ProfileAction.Remove:
                dataset.Remove(tag);
                return;
            case ProfileAction.Empty:
                if (SetPseudonym(dataset, element, context))
                {
                    return; // Z allows a dummy: the project's pseudonym keeps a patient's studies together
                }
                dataset.AddOrReplace(new DicomValueElement(tag, element.VR, ReadOnlyMemory<byte>.Empty));
                return;
            case ProfileAction.Dummy:
                SetDummy(dataset, (DicomValueElement)EnsureValue(element), context);
                return;
            case ProfileAction.Clean:
                Clean(dataset, element, context);
                return;
            case ProfileAction.ReplaceUid:
                if (element.VR == DicomVR.UI)
                {
                    string[] uids = dataset.GetStrings(tag);
                    SetText(dataset, tag, DicomVR.UI, string.Join('\\', uids.Select(u => u.Length == 0 ? u : _key.Uid(u))));
                }
                else
                {
                    dataset.AddOrReplace(new DicomValueElement(tag, element.VR, ReadOnlyMemory<byte>.Empty));
                }
                return;
        }
    }

    private static DicomElement EnsureValue(DicomElement element) =>
        element as DicomValueElement ?? new DicomValueElement(element.Tag, DicomVR.OB, ReadOnlyMemory<byte>.Empty);

    private void SetDummy(DicomDataset dataset, DicomValueElement element, Context context)
    {
        var tag = element.Tag;
        if (SetPseudonym(dataset, element, context))
        {
            return;
        }
        string? text = element.VR switch
        {
            DicomVR.AE => "ANONYMOUS",
            DicomVR.AS => "000Y",
            DicomVR.CS => "ANONYMIZED",
            DicomVR.DA => "19000101",
            DicomVR.DT => "19000101000000",
            DicomVR.TM => "000000",
            DicomVR.DS or DicomVR.IS => "0",
            DicomVR.PN => "ANONYMOUS",
            DicomVR.UI => string.Join('\\', dataset.GetStrings(tag).Select(u => _key.Uid(u))),
            DicomVR.UR => "urn:x-anonymized",
            DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC => "ANONYMIZED",
            _ => null,
        };
        if (text is not null)
        {
            SetText(dataset, tag, element.VR, text);
            return;
        }
        // Binary values: zeros of the same length (one value at least), so VM and type stay right.
        long length = Math.Max(element.Length, element.VR.ValueSize());
        dataset.AddOrReplace(new DicomValueElement(tag, element.VR, new byte[length + (length & 1)]));
    }

    /// <summary>Patient ID and Patient's Name become the patient's pseudonym (the code, and <c>ANONYMOUS^code</c>); false for any other attribute.</summary>
    private static bool SetPseudonym(DicomDataset dataset, DicomElement element, Context context)
    {
        if (element.Tag != DicomTags.PatientName && element.Tag != DicomTags.PatientID)
        {
            return false;
        }
        SetText(dataset, element.Tag, element.VR, element.Tag == DicomTags.PatientID ? context.PatientPseudonym : "ANONYMOUS^" + context.PatientPseudonym);
        return true;
    }

    private void Clean(DicomDataset dataset, DicomElement element, Context context)
    {
        if (element is not DicomValueElement value)
        {
            dataset.Remove(element.Tag); // encapsulated data the profile would clean cannot be read here
            return;
        }
        switch (value.VR)
        {
            case DicomVR.DA or DicomVR.DT:
                if (Options.HasFlag(ConfidentialityOptions.RetainLongitudinalModifiedDates))
                {
                    SetText(dataset, value.Tag, value.VR, string.Join('\\', dataset.GetStrings(value.Tag).Select(d => context.ShiftDate(d, value.VR))));
                }
                else
                {
                    SetDummy(dataset, value, context);
                }
                return;
            case DicomVR.TM:
                // Times of day carry no identity once the dates have moved; they keep intervals.
                return;
            case DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC or DicomVR.PN:
                string original = dataset.GetString(value.Tag) ?? "";
                string cleaned = context.CleanText(original);
                if (value.VR == DicomVR.PN && cleaned != original)
                {
                    cleaned = "ANONYMOUS";
                }
                if (cleaned != original)
                {
                    SetText(dataset, value.Tag, value.VR, cleaned);
                }
                return;
            case DicomVR.UI:
                SetDummy(dataset, value, context);
                return;
            case DicomVR.OB or DicomVR.OW or DicomVR.UN or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV:
                // Bitmaps (overlay, curve data) may hold burnt-in text, which cannot be cleaned here: they go.
                dataset.Remove(value.Tag);
                return;
            default:
                return; // codes and numbers: nothing to clean
        }
    }

    private static void SetText(DicomDataset dataset, DicomTag tag, DicomVR vr, string text)
    {
        if (vr is DicomVR.UN or DicomVR.None)
        {
            vr = DicomDictionary.GetImplicitVR(tag) is var known && known.IsString() ? known : DicomVR.LO;
        }
        dataset.SetString(tag, vr, text);
    }

    private void Mark(DicomDataset dataset)
    {
        dataset.SetString(DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        var codes = ConfidentialityOptionCodes.For(Options).ToList();
        dataset.SetString(DicomTags.DeidentificationMethod, DicomVR.LO, string.Join('\\', codes.Select(c => c.Meaning)));
        dataset.SetSequence(DicomTags.DeidentificationMethodCodeSequence, codes.Select(c =>
        {
            var item = new DicomDataset();
            item.SetString(DicomTags.CodeValue, DicomVR.SH, c.Code);
            item.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
            item.SetString(DicomTags.CodeMeaning, DicomVR.LO, c.Meaning);
            return item;
        }).ToArray());
        dataset.SetString(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS,
            Options.HasFlag(ConfidentialityOptions.RetainLongitudinalFullDates) ? "UNMODIFIED"
            : Options.HasFlag(ConfidentialityOptions.RetainLongitudinalModifiedDates) ? "MODIFIED"
            : "REMOVED");
    }

    /// <summary>What one instance's de-identification needs to know of its original: the patient's pseudonym, date shift, and the identifying text to clean out of descriptors.</summary>
    private sealed class Context
    {
        private readonly List<string> _identifying;

        public Context(Deidentifier owner, DicomDataset dataset)
        {
            string patientId = dataset.GetString(DicomTags.PatientID) ?? "";
            // A patient without an ID is known by name and birth date, as the index matches them.
            string patient = patientId.Length > 0 ? patientId : (dataset.GetString(DicomTags.PatientName) ?? "") + "|" + (dataset.GetString(DicomTags.PatientBirthDate) ?? "");
            PatientPseudonym = owner._key.Code("patient", patient);
            DateShiftDays = owner._key.DateShiftDays(patient);
            var identifying = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            owner.CollectIdentifying(dataset, identifying, inContentTree: false);
            // Longest first, so a full name goes before its parts.
            _identifying = identifying.OrderByDescending(s => s.Length).ToList();
            KeepDates = owner.Options.HasFlag(ConfidentialityOptions.RetainLongitudinalFullDates);
        }

        public string PatientPseudonym { get; }

        public int DateShiftDays { get; }

        public string ShiftDate(string value, DicomVR vr)
        {
            string digits = value.Replace(".", "", StringComparison.Ordinal); // ACR-NEMA's YYYY.MM.DD
            if (digits.Length >= 8 && DateOnly.TryParseExact(digits[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            {
                string shifted = date.AddDays(DateShiftDays).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
                return vr == DicomVR.DT ? shifted + digits[8..] : shifted;
            }
            return vr == DicomVR.DT ? "19000101000000" : "19000101";
        }

        /// <summary>
        /// Clean Descriptors (E.3.5) keeps a description but not what identifies: every value the
        /// profile removes or replaces elsewhere in the instance (names, IDs, dates, places) is cut
        /// out of the text, and so is anything shaped like a date unless full dates are kept.
        /// </summary>
        public string CleanText(string text)
        {
            foreach (string value in _identifying)
            {
                if (text.Contains(value, StringComparison.OrdinalIgnoreCase))
                {
                    text = text.Replace(value, "***", StringComparison.OrdinalIgnoreCase);
                }
            }
            return KeepDates ? text : DatePattern().Replace(text, "***");
        }

        private bool KeepDates { get; }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(19|20)\d\d[-./]?(0[1-9]|1[0-2])[-./]?(0[1-9]|[12]\d|3[01])\b|\b(0?[1-9]|[12]\d|3[01])[-./](0?[1-9]|1[0-2])[-./](19|20)\d\d\b")]
    private static partial System.Text.RegularExpressions.Regex DatePattern();

    /// <summary>The text values the profile does not keep, gathered before any is changed: what Clean must cut out of descriptors.</summary>
    private void CollectIdentifying(DicomDataset dataset, HashSet<string> identifying, bool inContentTree)
    {
        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    CollectIdentifying(item, identifying, inContentTree || element.Tag == DicomTags.ContentSequence);
                }
                continue;
            }
            if (element is not DicomValueElement { VR: var vr } || !vr.IsString() || vr == DicomVR.UI)
            {
                continue;
            }
            var action = element.Tag.IsPrivate ? ProfileAction.Remove : ActionFor(element, inContentTree);
            if (action is ProfileAction.Keep or ProfileAction.Clean)
            {
                continue;
            }
            foreach (string value in dataset.GetStrings(element.Tag))
            {
                foreach (string part in vr == DicomVR.PN ? value.Split('^', '=') : [value])
                {
                    string trimmed = part.Trim();
                    if (trimmed.Length >= 3 && trimmed.Any(char.IsLetterOrDigit))
                    {
                        identifying.Add(trimmed);
                    }
                }
            }
        }
    }
}
