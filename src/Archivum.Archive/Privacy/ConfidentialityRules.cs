using Archivum.Dicom.Model;

namespace Archivum.Archive.Privacy;

/// <summary>
/// Table E.1-1 resolved for one set of options: the action for an attribute, with the table's
/// compound codes (X/Z, Z/D, X/Z/D, X/Z/U*…) decided the way that keeps the output valid whatever
/// the attribute's type in its IOD: a D among them gives a dummy (type 1 stays valued), else a Z
/// gives a new UID (X/Z/U*), else a Z gives an empty value (type 2 stays present).
/// </summary>
public sealed class ConfidentialityRules
{
    private readonly Dictionary<uint, ProfileAction> _exact = [];
    private readonly List<(uint Value, uint Mask, ProfileAction Action)> _patterns = [];

    // Attributes the table removes (plain X) that an IOD of PS3.3 makes type 2, where removing
    // them makes the output invalid: they are emptied instead (Z), which keeps nothing of the value.
    // Treatment Machine Name: RT Beams and RT Ion Beams (C.8.8.14, C.8.8.25), as dciodvfy reports
    // for pydicom's rtplan.dcm.
    private static readonly HashSet<uint> TypeTwoInSomeIod = [0x300A00B2];

    internal ConfidentialityRules(IEnumerable<(uint Value, uint Mask, string Code)> rows)
    {
        foreach (var (value, mask, code) in rows)
        {
            var action = Decide(code);
            if (action == ProfileAction.Remove && TypeTwoInSomeIod.Contains(value))
            {
                action = ProfileAction.Empty;
            }
            if (mask == 0xFFFFFFFF)
            {
                _exact[value] = action;
            }
            else
            {
                _patterns.Add((value, mask, action));
            }
        }
    }

    /// <summary>The table's action for a standard attribute, or false when the table does not list it.</summary>
    public bool TryGetAction(DicomTag tag, out ProfileAction action)
    {
        if (_exact.TryGetValue(tag.Value, out action))
        {
            return true;
        }
        foreach (var (value, mask, patternAction) in _patterns)
        {
            if ((tag.Value & mask) == value)
            {
                action = patternAction;
                return true;
            }
        }
        return false;
    }

    private static ProfileAction Decide(string code)
    {
        string[] parts = code.Split('/');
        if (parts.Length == 1)
        {
            return code switch
            {
                "K" => ProfileAction.Keep,
                "X" => ProfileAction.Remove,
                "Z" => ProfileAction.Empty,
                "D" => ProfileAction.Dummy,
                "C" => ProfileAction.Clean,
                "U" or "U*" => ProfileAction.ReplaceUid,
                _ => throw new InvalidDataException($"unknown action code '{code}' in Table E.1-1"),
            };
        }
        if (parts.Contains("D"))
        {
            return ProfileAction.Dummy;
        }
        if (parts.Any(p => p.StartsWith('U')))
        {
            // X/Z/U*: a UID gets a new one; a sequence keeps its items, whose UIDs are replaced.
            return ProfileAction.ReplaceUid;
        }
        if (parts.Contains("Z"))
        {
            return ProfileAction.Empty;
        }
        throw new InvalidDataException($"unknown action code '{code}' in Table E.1-1");
    }
}
