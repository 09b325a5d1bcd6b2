using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Interop.Tests.Json;

/// <summary>Which outside program wrote the JSON that Archivum's is compared with.</summary>
internal enum JsonPeer
{
    Pydicom,
    Dcm2Json,
}

/// <summary>
/// Compares Archivum's DICOM JSON of a file with a peer's, attribute by attribute, and lists every
/// difference as "tag path: ours … vs peer …". Where the peer departs from PS3.18 §F.2 or keeps
/// something the model leaves open in another legitimate way, the peer's side is normalized first;
/// each such rule below says why Archivum's form is the right one. Nothing is normalized on
/// Archivum's side except to undo a peer's documented rewrite (dcm2json's).
/// </summary>
internal sealed class DicomJsonComparer
{
    private readonly JsonPeer _peer;
    private readonly bool _peerBinaryIsBigEndian;
    private readonly DicomDataset _ours;
    private readonly List<string> _differences = [];

    private DicomJsonComparer(JsonPeer peer, bool peerBinaryIsBigEndian, DicomDataset ours)
    {
        _peer = peer;
        _peerBinaryIsBigEndian = peerBinaryIsBigEndian;
        _ours = ours;
    }

    /// <param name="ours">Archivum's JSON of <paramref name="oursDataset"/>.</param>
    /// <param name="peerJson">The peer's JSON of the same file.</param>
    /// <param name="peerBinaryIsBigEndian">pydicom gives the bytes of OW/OF/OL/OD/OV values in the file's byte order.</param>
    /// <param name="skip">Top-level keys the peer could not convert (pydicom drops them with an error); not compared.</param>
    public static List<string> Compare(JsonElement ours, JsonElement peerJson, JsonPeer peer, bool peerBinaryIsBigEndian, DicomDataset oursDataset, IReadOnlySet<string> skip)
    {
        var comparer = new DicomJsonComparer(peer, peerBinaryIsBigEndian, oursDataset);
        comparer.CompareDataset(ours, peerJson, "", skip);
        return comparer._differences;
    }

    private string PeerName => _peer == JsonPeer.Pydicom ? "pydicom" : "dcm2json";

    private void CompareDataset(JsonElement ours, JsonElement peer, string path, IReadOnlySet<string>? skip = null, bool skipText = false)
    {
        // PS3.5 §7.5.3: an item may declare its own Specific Character Set. dcm2json 3.6.7 does not decode
        // such an item's text when the data set around it is already UTF-8 (it passes on ISO 2022 bytes as
        // they are, chrSQEncoding.dcm). pydicom applies it, and is compared there; dcm2json's text is skipped.
        skipText |= _peer == JsonPeer.Dcm2Json && path.Length > 0 && ours.TryGetProperty("00080005", out _);
        var ourKeys = new List<string>();
        var ourAttributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in ours.EnumerateObject())
        {
            ourKeys.Add(p.Name);
            if (!IgnoredInOurs(p.Name, path) && skip?.Contains(p.Name) != true)
            {
                ourAttributes[p.Name] = p.Value;
            }
        }
        // PS3.18 §F.2.2: attributes in ascending order of their keys. Archivum's own rule, checked here on real data.
        if (!ourKeys.SequenceEqual(ourKeys.Order(StringComparer.Ordinal)))
        {
            _differences.Add($"{Show(path)}: Archivum's keys are not in ascending order");
        }
        var peerAttributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in peer.EnumerateObject())
        {
            if (!IgnoredInPeer(p.Name, path))
            {
                peerAttributes[p.Name] = p.Value;
            }
        }
        foreach (var key in ourAttributes.Keys.Union(peerAttributes.Keys).Order(StringComparer.Ordinal))
        {
            string at = path.Length == 0 ? key : $"{path}.{key}";
            bool inOurs = ourAttributes.TryGetValue(key, out var o);
            bool inPeer = peerAttributes.TryGetValue(key, out var p);
            if (!inOurs)
            {
                _differences.Add($"{at}: missing in ours; {PeerName} has {Shorten(p)}");
            }
            else if (!inPeer)
            {
                _differences.Add($"{at}: ours has {Shorten(o)}; missing in {PeerName}");
            }
            else
            {
                CompareAttribute(key, o, p, at, skipText);
            }
        }
    }

    // PS3.18 §F.2.2: "Group Length (gggg,0000) attributes shall not be included". pydicom keeps them.
    private static bool IsGroupLength(string key) => key.EndsWith("0000", StringComparison.Ordinal);

    private bool IgnoredInPeer(string key, string path) =>
        IsGroupLength(key)
        // dcm2json rewrites text to UTF-8 and restates Specific Character Set as "ISO_IR 192" (as measured);
        // Archivum keeps the value as stored so that reading the JSON back restores the original encoding.
        || (_peer == JsonPeer.Dcm2Json && key == "00080005");

    private bool IgnoredInOurs(string key, string path) => _peer == JsonPeer.Dcm2Json && key == "00080005";

    private void CompareAttribute(string key, JsonElement ours, JsonElement peer, string path, bool skipText)
    {
        string ourVR = ours.GetProperty("vr").GetString()!;
        string peerVR = peer.GetProperty("vr").GetString()!;
        var tag = new DicomTag(uint.Parse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        if (ourVR != peerVR)
        {
            // A private element read without its VR (implicit VR, or UN in the file) is UN to Archivum: PS3.5
            // §6.2.2 says an unknown VR is UN, and Archivum has no private dictionaries. pydicom and DCMTK take
            // a VR from theirs. The bytes must still be the same: read Archivum's bytes with the peer's VR.
            if (ourVR == "UN" && tag.IsPrivate && peerVR != "SQ" && ours.TryGetProperty("InlineBinary", out var raw)
                && DicomVRExtensions.TryParse(peerVR, out var vr))
            {
                ours = Reinterpret(tag, vr, raw.GetBytesFromBase64());
                ourVR = peerVR;
            }
            else
            {
                _differences.Add($"{path}: VR ours {ourVR} vs {PeerName} {peerVR}");
                return;
            }
        }

        var (ourForm, ourValue) = Form(ours);
        var (peerForm, peerValue) = Form(peer);
        // dcm2json drops a PN value made of component separators only ("^^^^": every component empty) as
        // if the attribute were empty. Archivum keeps the value as stored; the name it gives is the same.
        if (_peer == JsonPeer.Dcm2Json && ourVR == "PN" && ourForm == "Value" && peerForm == "none"
            && ourValue.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Null
                || v.EnumerateObject().All(g => g.Value.GetString()!.All(c => c is '^' or ' '))))
        {
            return;
        }
        // PS3.18 §F.2.5: an empty attribute has no "Value". pydicom writes a sequence of zero items as "Value": [].
        if (peerForm == "Value" && ourVR == "SQ" && peerValue.GetArrayLength() == 0)
        {
            peerForm = "none";
        }
        if (ourForm != peerForm)
        {
            _differences.Add($"{path}: ours has {ourForm} {Shorten(ourValue)} vs {PeerName} {peerForm} {Shorten(peerValue)}");
            return;
        }
        switch (ourForm)
        {
            case "InlineBinary":
                CompareBinary(ourVR, ourValue.GetBytesFromBase64(), peerValue.GetBytesFromBase64(), path);
                break;
            case "BulkDataURI":
                if (ourValue.GetString() != peerValue.GetString())
                {
                    _differences.Add($"{path}: BulkDataURI ours {ourValue} vs {PeerName} {peerValue}");
                }
                break;
            case "Value":
                CompareValues(ourVR, ourValue, peerValue, path, skipText);
                break;
        }
    }

    private static (string Form, JsonElement Value) Form(JsonElement attribute)
    {
        foreach (var form in (string[])["Value", "InlineBinary", "BulkDataURI"])
        {
            if (attribute.TryGetProperty(form, out var value))
            {
                return (form, value);
            }
        }
        return ("none", default);
    }

    private void CompareBinary(string vr, byte[] ours, byte[] peer, string path)
    {
        // PS3.18 §F.2.7 applies PS3.5's byte ordering to InlineBinary, and JSON has no transfer syntax:
        // Archivum writes little endian always. pydicom passes on a big-endian file's bytes unswapped.
        int unit = vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 1 };
        if (_peer == JsonPeer.Pydicom && _peerBinaryIsBigEndian && unit > 1)
        {
            peer = Swap(peer, unit);
        }
        // dcm2json pads an odd-length value (invalid, PS3.5 §7.1.1) with a zero byte as it reads it; Archivum
        // and pydicom give the bytes the file holds (the Part 10 writer pads when it writes).
        if (_peer == JsonPeer.Dcm2Json && ours.Length % 2 == 1 && peer.Length == ours.Length + 1 && peer[^1] == 0)
        {
            peer = peer[..^1];
        }
        if (!ours.AsSpan().SequenceEqual(peer))
        {
            int at = ours.AsSpan().CommonPrefixLength(peer);
            _differences.Add($"{path}: InlineBinary ours {ours.Length} bytes vs {PeerName} {peer.Length} bytes, first difference at byte {at}");
        }
    }

    private void CompareValues(string vr, JsonElement ours, JsonElement peer, string path, bool skipText)
    {
        int n = ours.GetArrayLength(), m = peer.GetArrayLength();
        if (n != m)
        {
            _differences.Add($"{path}: {n} values in ours {Shorten(ours)} vs {m} in {PeerName} {Shorten(peer)}");
            return;
        }
        for (int i = 0; i < n; i++)
        {
            var o = ours[i];
            var p = peer[i];
            string at = $"{path}[{i}]";
            if (vr == "SQ")
            {
                CompareDataset(o, p, at, skipText: skipText);
            }
            else if (skipText && vr is "SH" or "LO" or "ST" or "LT" or "UC" or "UT" or "PN")
            {
                continue;
            }
            else if (!SameScalar(vr, o, p))
            {
                _differences.Add($"{at}: ours {Shorten(o)} vs {PeerName} {Shorten(p)}");
            }
        }
    }

    private static bool SameScalar(string vr, JsonElement o, JsonElement p)
    {
        if (vr == "PN")
        {
            return SamePersonName(o, p);
        }
        // PS3.18 §F.2.5: an empty value among several is null. pydicom writes "".
        if (o.ValueKind == JsonValueKind.Null)
        {
            return p.ValueKind == JsonValueKind.Null || (p.ValueKind == JsonValueKind.String && p.GetString()!.Length == 0);
        }
        if (o.ValueKind == JsonValueKind.Number && p.ValueKind == JsonValueKind.Number)
        {
            return vr switch
            {
                // pydicom widens FL to a double and prints all its digits; Archivum prints the shortest text of the float.
                "FL" => (float)o.GetDouble() == (float)p.GetDouble(),
                // Floating point values are the same when they are the same double, however many digits
                // the peer prints (dcm2json prints 17 significant digits, Archivum the shortest exact text).
                "FD" or "DS" => o.GetDouble() == p.GetDouble(),
                _ => o.TryGetDecimal(out var a) && p.TryGetDecimal(out var b) ? a == b : o.GetRawText() == p.GetRawText(),
            };
        }
        if (o.ValueKind == JsonValueKind.String && p.ValueKind == JsonValueKind.String)
        {
            return o.GetString() == Trim(vr, p.GetString()!);
        }
        // A number Archivum keeps as a string (PS3.18 Table F.2.3-1 allows it for IS, DS, SV, UV: a value
        // that is not exactly a JSON number, such as IS "1.0" or a DS beyond a double's precision) against
        // the peer's number, or the reverse: same value.
        if (vr is "IS" or "DS" or "SV" or "UV" && (o.ValueKind, p.ValueKind) is (JsonValueKind.String, JsonValueKind.Number) or (JsonValueKind.Number, JsonValueKind.String))
        {
            return double.TryParse(o.ValueKind == JsonValueKind.String ? o.GetString() : o.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                && double.TryParse(p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out double y)
                && x == y;
        }
        // NaN and the infinities have no JSON number; Archivum writes "NaN", "Infinity", "-Infinity" (as fo-dicom
        // and dicom-rs do). pydicom writes Python's invalid NaN/Infinity tokens, which pydicom_json.py marks as {"$float": …}.
        if (o.ValueKind == JsonValueKind.String && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("$float", out var marker))
        {
            return (marker.GetString(), o.GetString()) is ("nan", "NaN") or ("inf", "Infinity") or ("-inf", "-Infinity");
        }
        return false;
    }

    /// <summary>
    /// PS3.5 Table 6.2-1: trailing spaces of text values are padding, and leading ones too for AE, AS, CS,
    /// DA, DS, DT, IS, TM and UI. pydicom strips the padding of the whole value only, so the first value of
    /// "DERIVED \SECONDARY" keeps its space; Archivum (and DCMTK) trim each value.
    /// </summary>
    private static string Trim(string vr, string value)
    {
        value = value.TrimEnd(' ');
        return vr is "AE" or "AS" or "CS" or "DA" or "DS" or "DT" or "IS" or "TM" or "UI" ? value.TrimStart(' ') : value;
    }

    /// <summary>
    /// PS3.18 §F.2.2: "The non-empty name components of each element are encoded". pydicom also writes
    /// empty groups ("Alphabetic": "" before an ideographic group). A value with no group at all is empty: null.
    /// Trailing spaces of a group are padding as they are at the end of the value (PS3.5 Table 6.2-1);
    /// pydicom strips them from the end of the value only.
    /// </summary>
    private static bool SamePersonName(JsonElement o, JsonElement p)
    {
        var ours = Groups(o);
        var peer = Groups(p);
        return ours.Count == peer.Count && ours.All(g => peer.TryGetValue(g.Key, out var v) && v == g.Value);

        static Dictionary<string, string> Groups(JsonElement value) => value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(g => g.Value.ValueKind == JsonValueKind.String && g.Value.GetString()!.TrimEnd(' ').Length > 0)
                .ToDictionary(g => g.Name, g => g.Value.GetString()!.TrimEnd(' '))
            : value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
                ? new Dictionary<string, string> { ["Alphabetic"] = value.GetString()! }
                : [];
    }

    /// <summary>Archivum's JSON for the same bytes under another VR, decoded with the file's character set.</summary>
    private JsonElement Reinterpret(DicomTag tag, DicomVR vr, byte[] bytes)
    {
        var dataset = new DicomDataset();
        if (_ours[new DicomTag(0x0008, 0x0005)] is DicomValueElement characterSet)
        {
            dataset.Add(characterSet);
        }
        dataset.AddOrReplace(new DicomValueElement(tag, vr, bytes));
        using var json = JsonDocument.Parse(DicomJsonWriter.Serialize(dataset));
        return json.RootElement.GetProperty(tag.ToJsonKey()).Clone();
    }

    private static byte[] Swap(byte[] bytes, int unit)
    {
        var swapped = (byte[])bytes.Clone();
        for (int i = 0; i + unit <= swapped.Length; i += unit)
        {
            Array.Reverse(swapped, i, unit);
        }
        return swapped;
    }

    private static string Show(string path) => path.Length == 0 ? "(top level)" : path;

    private static string Shorten(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return "(nothing)";
        }
        string text = value.GetRawText();
        return text.Length <= 160 ? text : text[..160] + "…";
    }
}
