using System.Globalization;
using System.Text;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// Builds a C-FIND/C-MOVE/C-GET identifier from keys written as DCMTK's <c>findscu -k</c> and
/// QIDO-RS (PS3.18 §8.3.4.1) write them: <c>Keyword=value</c> is a matching key, <c>Keyword</c>
/// alone a return key (empty value), a tag may stand for the keyword (<c>(0010,0010)=Doe*</c> or
/// <c>00100010=Doe*</c>), and a dotted path reaches into the first item of a sequence
/// (<c>ReferencedStudySequence.ReferencedSOPInstanceUID</c>). A key that cannot be built throws
/// <see cref="ArgumentException"/> whose message starts with the key.
/// </summary>
public static class QueryKeys
{
    private static readonly DicomTag QueryRetrieveLevel = new(0x0008, 0x0052);
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>The identifier, with Query/Retrieve Level set, and the top-level tags asked for in the order given.</summary>
    public static (DicomDataset Identifier, IReadOnlyList<DicomTag> Requested) Build(string level, IEnumerable<string> keys)
    {
        var identifier = new DicomDataset();
        var requested = Add(identifier, level, keys);
        return (identifier, requested);
    }

    /// <summary>Adds keys to an identifier (setting its Query/Retrieve Level); returns the top-level tags they name, in order.</summary>
    public static IReadOnlyList<DicomTag> Add(DicomDataset identifier, string level, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var keyList = keys.ToList();
        if (keyList.Any(k => !Ascii.IsValid(k)) && !identifier.Contains(SpecificCharacterSet))
        {
            // PS3.5 §6.1.2.5.3: values outside the default repertoire need a character set that holds them.
            identifier.SetString(SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }
        identifier.SetString(QueryRetrieveLevel, DicomVR.CS, level);
        var requested = new List<DicomTag>();
        foreach (string key in keyList)
        {
            int equals = key.IndexOf('=', StringComparison.Ordinal);
            string path = equals < 0 ? key : key[..equals];
            string value = equals < 0 ? "" : key[(equals + 1)..];
            var steps = path.Split('.');
            var target = identifier;
            for (int i = 0; i < steps.Length - 1; i++)
            {
                var sequenceTag = ParseTag(steps[i], key);
                if (VROf(sequenceTag) != DicomVR.SQ)
                {
                    throw new ArgumentException($"{key}: {steps[i]} is not a sequence");
                }
                var sequence = target.GetSequence(sequenceTag);
                if (sequence.Count == 0)
                {
                    var item = new DicomDataset();
                    target.SetSequence(sequenceTag, item);
                    target = item;
                }
                else
                {
                    target = sequence[0];
                }
            }
            var tag = ParseTag(steps[^1], key);
            SetKey(target, tag, value, key);
            if (steps.Length == 1 && !requested.Contains(tag))
            {
                requested.Add(tag);
            }
            else if (steps.Length > 1 && ParseTag(steps[0], key) is var top && !requested.Contains(top))
            {
                requested.Add(top);
            }
        }
        return requested;
    }

    private static DicomTag ParseTag(string text, string key)
    {
        string step = text.Trim();
        if (step.EndsWith("[0]", StringComparison.Ordinal))
        {
            step = step[..^3]; // DCMTK's item index: only the first item can be given
        }
        if (DicomDictionary.TryGetTag(step, out var tag) || DicomTag.TryParse(step.Trim('(', ')'), out tag))
        {
            return tag;
        }
        throw new ArgumentException($"{key}: '{step}' is neither a DICOM keyword nor a tag (gggg,eeee)");
    }

    private static DicomVR VROf(DicomTag tag) => DicomDictionary.GetImplicitVR(tag) is var vr && vr != DicomVR.None ? vr : DicomVR.UN;

    private static void SetKey(DicomDataset target, DicomTag tag, string value, string key)
    {
        var vr = VROf(tag);
        if (vr == DicomVR.SQ)
        {
            if (value.Length > 0)
            {
                throw new ArgumentException($"{key}: a sequence takes no value; give keys of its item as Sequence.Keyword=value");
            }
            if (target[tag] is not DicomSequence)
            {
                target.SetSequence(tag); // an empty sequence: return the whole sequence (PS3.4 C.2.2.1.3)
            }
            return;
        }
        if (vr.IsString())
        {
            target.SetString(tag, vr, value);
            return;
        }
        if (value.Length == 0)
        {
            target.SetBytes(tag, vr, ReadOnlyMemory<byte>.Empty);
            return;
        }
        var parts = value.Split('\\');
        try
        {
            switch (vr)
            {
                case DicomVR.US: target.SetValues(tag, vr, parts.Select(p => ushort.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.SS: target.SetValues(tag, vr, parts.Select(p => short.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.UL: target.SetValues(tag, vr, parts.Select(p => uint.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.SL: target.SetValues(tag, vr, parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.FL: target.SetValues(tag, vr, parts.Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.FD: target.SetValues(tag, vr, parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()); break;
                case DicomVR.AT: target.SetTags(tag, parts.Select(p => ParseTag(p, key)).ToArray()); break;
                default: throw new ArgumentException($"{key}: values of VR {vr.Name()} cannot be given on the command line");
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"{key}: '{value}' is not a valid {vr.Name()} value");
        }
    }
}
