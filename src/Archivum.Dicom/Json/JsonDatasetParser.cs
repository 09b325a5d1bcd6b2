using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// Builds data sets from DICOM JSON (PS3.18 §F.2) token by token. Values are encoded back into
/// their DICOM form: numbers to little-endian binary or to IS/DS text, PN objects to '='-joined
/// groups, "InlineBinary" decoded, "BulkDataURI" kept as a <see cref="BulkDataUriBuffer"/>.
/// </summary>
/// <remarks>
/// Text is Unicode in JSON and bytes in DICOM, so text affected by Specific Character Set is encoded
/// only when its whole data set has been read: with the character set the JSON declares when that set
/// can represent every string, else with ISO_IR 192 (UTF-8), which then replaces the declared value
/// (or is added when none was declared and some text is not ASCII).
/// </remarks>
internal sealed class JsonDatasetParser
{
    /// <summary>Deepest nesting of sequences accepted, as for Part 10 input (<c>DicomReadOptions.MaxDepth</c>).</summary>
    public const int MaxDepth = 64;

    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private readonly List<string> _path = ["$"];
    private JsonTokenSource _source;

    public JsonDatasetParser(JsonTokenSource source) => _source = source;

    /// <summary>JSON reader settings that allow the nesting <see cref="MaxDepth"/> needs (four JSON levels per sequence).</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = 4 * MaxDepth + 8 };

    /// <summary>Reads a data set (a JSON object) or a list of them (a JSON array).</summary>
    public List<DicomDataset> ReadAll()
    {
        Read();
        var datasets = new List<DicomDataset>();
        if (_source.TokenType == JsonTokenType.StartObject)
        {
            datasets.Add(ReadTopLevel());
        }
        else if (_source.TokenType == JsonTokenType.StartArray)
        {
            while (Read() && _source.TokenType != JsonTokenType.EndArray)
            {
                _path.Add($"[{datasets.Count}]");
                if (_source.TokenType != JsonTokenType.StartObject)
                {
                    throw Fail($"expected a data set (a JSON object), found {Describe()}");
                }
                datasets.Add(ReadTopLevel());
                _path.RemoveAt(_path.Count - 1);
            }
        }
        else
        {
            throw Fail($"expected a data set (a JSON object) or an array of them, found {Describe()}");
        }
        // The JSON reader refuses anything but white space after the value.
        Read();
        return datasets;
    }

    private DicomDataset ReadTopLevel()
    {
        var builder = new DatasetBuilder(new DicomDataset(), null);
        ReadDataset(builder, depth: 0);
        EncodeTexts(builder);
        return builder.Dataset;
    }

    /// <summary>Reads the members of a data set object; the current token is its StartObject.</summary>
    private void ReadDataset(DatasetBuilder builder, int depth)
    {
        while (Read() && _source.TokenType == JsonTokenType.PropertyName)
        {
            string key = _source.GetText();
            _path.Add("." + key);
            if (key.Length != 8 || !uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            {
                throw Fail($"'{key}' is not a tag: DICOM JSON keys are eight hexadecimal digits (PS3.18 §F.2.2)");
            }
            var tag = new DicomTag(value);
            if (!builder.Seen.Add(value))
            {
                throw Fail($"attribute {key} appears twice in one data set");
            }
            Read();
            if (_source.TokenType != JsonTokenType.StartObject)
            {
                throw Fail($"an attribute is an object with \"vr\" and a value, found {Describe()}");
            }
            ReadAttribute(builder, tag, depth);
            _path.RemoveAt(_path.Count - 1);
        }
    }

    /// <summary>Reads one attribute object; the current token is its StartObject.</summary>
    private void ReadAttribute(DatasetBuilder builder, DicomTag tag, int depth)
    {
        DicomVR? vr = null;
        List<RecordedToken>? earlyValue = null;
        bool valueRead = false;
        byte[]? inline = null;
        string? uri = null;
        int kinds = 0;
        while (Read() && _source.TokenType == JsonTokenType.PropertyName)
        {
            string name = _source.GetText();
            _path.Add("." + name);
            Read();
            switch (name)
            {
                case "vr":
                    if (_source.TokenType != JsonTokenType.String)
                    {
                        throw Fail($"\"vr\" must be a string, found {Describe()}");
                    }
                    string text = _source.GetText();
                    if (!DicomVRExtensions.TryParse(text, out var parsed))
                    {
                        throw Fail($"unknown VR '{text}'");
                    }
                    vr = parsed;
                    break;
                case "Value":
                    kinds++;
                    if (vr is { } known)
                    {
                        ReadValue(builder, tag, known, depth);
                        valueRead = true;
                    }
                    else
                    {
                        // JSON members are unordered: keep the value until "vr" says how to read it.
                        earlyValue = _source.Record();
                    }
                    break;
                case "InlineBinary":
                    kinds++;
                    if (_source.TokenType != JsonTokenType.String)
                    {
                        throw Fail($"\"InlineBinary\" must be a base64 string, found {Describe()}");
                    }
                    if (!_source.TryGetBase64(out inline))
                    {
                        throw Fail("\"InlineBinary\" is not valid base64");
                    }
                    break;
                case "BulkDataURI":
                    kinds++;
                    if (_source.TokenType != JsonTokenType.String)
                    {
                        throw Fail($"\"BulkDataURI\" must be a string, found {Describe()}");
                    }
                    uri = _source.GetText();
                    break;
                default:
                    // Members this version does not know are ignored, as JSON readers do.
                    _source.Skip();
                    break;
            }
            _path.RemoveAt(_path.Count - 1);
        }
        if (vr is not { } v)
        {
            throw Fail("the attribute has no \"vr\" (PS3.18 §F.2.2)");
        }
        if (kinds > 1)
        {
            throw Fail("an attribute has at most one of \"Value\", \"InlineBinary\" and \"BulkDataURI\" (PS3.18 §F.2.2)");
        }
        if (earlyValue is not null)
        {
            var input = _source;
            _source = new RecordedTokenSource(earlyValue);
            _path.Add(".Value");
            _source.Read();
            ReadValue(builder, tag, v, depth);
            _path.RemoveAt(_path.Count - 1);
            _source = input;
        }
        else if (inline is not null)
        {
            SetInlineBinary(builder, tag, v, inline);
        }
        else if (uri is not null)
        {
            if (!IsBulkDataVR(v))
            {
                throw Fail($"VR {v.Name()} cannot have a \"BulkDataURI\" (PS3.18 §F.2.2)");
            }
            builder.Dataset.AddOrReplace(new DicomValueElement(tag, v, new BulkDataUriBuffer(uri)));
        }
        else if (!valueRead)
        {
            // PS3.18 §F.2.5: no "Value" means an empty attribute.
            builder.Dataset.AddOrReplace(v == DicomVR.SQ ? new DicomSequence(tag) : new DicomValueElement(tag, v, DicomBuffer.Empty));
        }
    }

    /// <summary>Reads a "Value" array for an attribute of the given VR; the current token is its first.</summary>
    private void ReadValue(DatasetBuilder builder, DicomTag tag, DicomVR vr, int depth)
    {
        if (_source.TokenType != JsonTokenType.StartArray)
        {
            throw Fail($"\"Value\" must be an array, found {Describe()}");
        }
        switch (vr)
        {
            case DicomVR.SQ:
                ReadItems(builder, tag, depth);
                return;
            case DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN:
                throw Fail($"VR {vr.Name()} has no \"Value\": its value is \"InlineBinary\" or \"BulkDataURI\" (PS3.18 §F.2.2)");
            case DicomVR.AT:
                builder.Dataset.SetTags(tag, [.. ReadEach(ReadTag)]);
                return;
            case DicomVR.US:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<ushort>(vr))]);
                return;
            case DicomVR.SS:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<short>(vr))]);
                return;
            case DicomVR.UL:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<uint>(vr))]);
                return;
            case DicomVR.SL:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<int>(vr))]);
                return;
            case DicomVR.SV:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<long>(vr))]);
                return;
            case DicomVR.UV:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadInteger<ulong>(vr))]);
                return;
            case DicomVR.FL:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => (float)ReadFloating(vr, single: true))]);
                return;
            case DicomVR.FD:
                builder.Dataset.SetValues(tag, vr, [.. ReadEach(() => ReadFloating(vr, single: false))]);
                return;
            default:
                var values = ReadEach(() =>
                {
                    string value = vr switch
                    {
                        DicomVR.PN => ReadPersonName(),
                        DicomVR.IS or DicomVR.DS => ReadDecimalString(vr),
                        _ => ReadText(vr),
                    };
                    if (!vr.IsSingleValuedText() && value.Contains('\\', StringComparison.Ordinal))
                    {
                        throw Fail($"a value of VR {vr.Name()} contains a backslash, which DICOM would read as a separator between values (PS3.18 §F.2.4)");
                    }
                    return value;
                });
                if (vr.IsSingleValuedText() && values.Count > 1)
                {
                    throw Fail($"VR {vr.Name()} has one value, found {values.Count}");
                }
                string joined = string.Join('\\', values);
                if (vr.IsCharacterSetSensitive())
                {
                    builder.Texts.Add(new PendingText(tag, vr, joined));
                }
                else
                {
                    builder.Dataset.SetString(tag, vr, joined);
                }
                return;
        }
    }

    /// <summary>Reads the elements of the current array, one with <paramref name="read"/> each (the current token is the element).</summary>
    private List<T> ReadEach<T>(Func<T> read)
    {
        var values = new List<T>();
        while (Read() && _source.TokenType != JsonTokenType.EndArray)
        {
            _path.Add($"[{values.Count}]");
            values.Add(read());
            _path.RemoveAt(_path.Count - 1);
        }
        return values;
    }

    private void ReadItems(DatasetBuilder builder, DicomTag tag, int depth)
    {
        if (depth + 1 > MaxDepth)
        {
            throw Fail($"sequences nested deeper than {MaxDepth} levels");
        }
        // Attach the sequence first: items then know their parent, whose character set they inherit.
        var sequence = new DicomSequence(tag);
        builder.Dataset.AddOrReplace(sequence);
        int index = 0;
        while (Read() && _source.TokenType != JsonTokenType.EndArray)
        {
            _path.Add($"[{index++}]");
            if (_source.TokenType != JsonTokenType.StartObject)
            {
                throw Fail($"a sequence item is a JSON object (an empty item is {{}}), found {Describe()}");
            }
            var item = new DicomDataset();
            sequence.Items.Add(item);
            var child = new DatasetBuilder(item, builder);
            builder.Children.Add(child);
            ReadDataset(child, depth + 1);
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private string ReadText(DicomVR vr) => _source.TokenType switch
    {
        JsonTokenType.String => _source.GetText(),
        JsonTokenType.Null => string.Empty,
        _ => throw Fail($"a {vr.Name()} value is a string or null, found {Describe()}"),
    };

    /// <summary>PS3.18 §F.2.2: an object of component groups (or, leniently, the value as one string).</summary>
    private string ReadPersonName()
    {
        if (_source.TokenType != JsonTokenType.StartObject)
        {
            return ReadText(DicomVR.PN);
        }
        string alphabetic = string.Empty, ideographic = string.Empty, phonetic = string.Empty;
        while (Read() && _source.TokenType == JsonTokenType.PropertyName)
        {
            string group = _source.GetText();
            _path.Add("." + group);
            if (group is not ("Alphabetic" or "Ideographic" or "Phonetic"))
            {
                throw Fail($"unknown person name component group \"{group}\" (PS3.18 §F.2.2: Alphabetic, Ideographic, Phonetic)");
            }
            Read();
            string value = ReadText(DicomVR.PN);
            // More than three groups is not PN; the writer keeps such extra groups in "Phonetic", so it may hold '='.
            if (value.Contains('=', StringComparison.Ordinal) && group != "Phonetic")
            {
                throw Fail("a component group cannot contain '=', the group separator");
            }
            switch (group)
            {
                case "Alphabetic": alphabetic = value; break;
                case "Ideographic": ideographic = value; break;
                default: phonetic = value; break;
            }
            _path.RemoveAt(_path.Count - 1);
        }
        return new DicomPersonName(alphabetic, ideographic, phonetic).ToString();
    }

    /// <summary>
    /// IS and DS: a JSON number becomes its text as written when that is valid for the VR (a DS has at
    /// most 16 characters, an IS is an integer); a string is taken as it is (PS3.18 Table F.2.3-1 allows both).
    /// </summary>
    private string ReadDecimalString(DicomVR vr)
    {
        switch (_source.TokenType)
        {
            case JsonTokenType.Null:
                return string.Empty;
            case JsonTokenType.String:
                return _source.GetText().Trim();
            case JsonTokenType.Number:
                string raw = _source.GetText();
                if (vr == DicomVR.DS)
                {
                    if (raw.Length <= 16)
                    {
                        return raw;
                    }
                    double d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                    return double.IsFinite(d) ? DicomDataset.FormatDecimalString(d) : raw;
                }
                if (!raw.AsSpan().ContainsAny('.', 'e', 'E'))
                {
                    return raw;
                }
                if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m) && decimal.IsInteger(m))
                {
                    return decimal.Truncate(m).ToString(CultureInfo.InvariantCulture);
                }
                throw Fail($"an IS value is an integer, found {raw}");
            default:
                throw Fail($"a {vr.Name()} value is a number, a string or null, found {Describe()}");
        }
    }

    private DicomTag ReadTag()
    {
        if (_source.TokenType == JsonTokenType.String)
        {
            string text = _source.GetText();
            if (text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            {
                return new DicomTag(value);
            }
        }
        throw Fail($"an AT value is a tag as eight hexadecimal digits, found {Describe()}");
    }

    /// <summary>An integer VR's value: a JSON number (or, for SV and UV, a string of digits, PS3.18 Table F.2.3-1).</summary>
    private T ReadInteger<T>(DicomVR vr) where T : struct, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        bool text = _source.TokenType == JsonTokenType.String && vr is DicomVR.SV or DicomVR.UV;
        if (_source.TokenType == JsonTokenType.Number || text)
        {
            string raw = _source.GetText();
            if (T.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value))
            {
                return value;
            }
            if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m) && decimal.IsInteger(m))
            {
                try
                {
                    return T.CreateChecked(m);
                }
                catch (OverflowException)
                {
                }
            }
            throw Fail($"{raw} is not a {vr.Name()} value (an integer from {T.MinValue} to {T.MaxValue})");
        }
        if (_source.TokenType == JsonTokenType.Null)
        {
            throw Fail($"a {vr.Name()} value cannot be empty: only text VRs have empty values among several");
        }
        throw Fail($"a {vr.Name()} value is a number, found {Describe()}");
    }

    private double ReadFloating(DicomVR vr, bool single)
    {
        switch (_source.TokenType)
        {
            case JsonTokenType.Number:
                string raw = _source.GetText();
                return single
                    ? float.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonTokenType.String when DicomJsonNumbers.TryParseNonFinite(_source.GetText(), out double special):
                return special;
            case JsonTokenType.Null:
                throw Fail($"a {vr.Name()} value cannot be empty: only text VRs have empty values among several");
            default:
                throw Fail($"a {vr.Name()} value is a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found {Describe()}");
        }
    }

    private void SetInlineBinary(DatasetBuilder builder, DicomTag tag, DicomVR vr, byte[] bytes)
    {
        if (vr == DicomVR.SQ)
        {
            throw Fail("a sequence has no \"InlineBinary\"; its items are its \"Value\"");
        }
        if (tag == PixelData && builder.Parent is null && vr is DicomVR.OB or DicomVR.OW && TryReadFragments(bytes, out var offsetTable, out var fragments))
        {
            builder.Dataset.AddOrReplace(new DicomFragmentSequence(tag, vr, offsetTable, fragments));
            return;
        }
        // Kept as given, odd length included (files have them; pydicom writes them so): the Part 10 writer pads.
        builder.Dataset.AddOrReplace(new DicomValueElement(tag, vr, bytes));
    }

    /// <summary>
    /// Pixel Data in line whose bytes are exactly a run of items (FFFE,E000), each with its length,
    /// is the encapsulated encoding the writer (and pydicom) produce: it becomes fragments again.
    /// Native pixel data would have to start with the item tag and tile into items to the last byte
    /// to be mistaken for it.
    /// </summary>
    private static bool TryReadFragments(byte[] bytes, out DicomBuffer offsetTable, out List<DicomBuffer> fragments)
    {
        offsetTable = DicomBuffer.Empty;
        fragments = [];
        var items = new List<DicomBuffer>();
        int i = 0;
        while (i < bytes.Length)
        {
            if (bytes.Length - i < 8
                || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i)) != DicomTag.Item.Group
                || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 2)) != DicomTag.Item.Element)
            {
                return false;
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i + 4));
            if (length > bytes.Length - i - 8)
            {
                return false;
            }
            items.Add(DicomBuffer.FromBytes(bytes.AsMemory(i + 8, (int)length)));
            i += 8 + (int)length;
        }
        if (items.Count == 0)
        {
            return false;
        }
        offsetTable = items[0];
        fragments = items.GetRange(1, items.Count - 1);
        return true;
    }

    /// <summary>
    /// Encodes the text of a data set and of the items that inherit its character set (PS3.5 §7.5.3),
    /// then does the same for each item that declares its own.
    /// </summary>
    private static void EncodeTexts(DatasetBuilder root)
    {
        var texts = new List<(DatasetBuilder Owner, PendingText Text)>();
        var ownCharacterSets = new List<DatasetBuilder>();
        Collect(root, isRoot: true);
        bool declared = root.Dataset.Contains(SpecificCharacterSet);
        var characterSet = root.Dataset.CharacterSet;
        // Without (0008,0005) only the default repertoire (ASCII) may be used; with it, the declared
        // set must give back every string as it was, or UTF-8 takes its place.
        bool fits = texts.All(t => Ascii.IsValid(t.Text.Value)
            || (declared && characterSet.Decode(characterSet.Encode(t.Text.Value, t.Text.VR), t.Text.VR) == t.Text.Value));
        if (!fits)
        {
            root.Dataset.SetString(SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }
        foreach (var (owner, text) in texts)
        {
            owner.Dataset.SetString(text.Tag, text.VR, text.Value);
        }
        foreach (var item in ownCharacterSets)
        {
            EncodeTexts(item);
        }

        void Collect(DatasetBuilder builder, bool isRoot)
        {
            if (!isRoot && builder.Dataset.Contains(SpecificCharacterSet))
            {
                ownCharacterSets.Add(builder);
                return;
            }
            foreach (var text in builder.Texts)
            {
                texts.Add((builder, text));
            }
            foreach (var child in builder.Children)
            {
                Collect(child, isRoot: false);
            }
        }
    }

    private static bool IsBulkDataVR(DicomVR vr) => vr is DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS or DicomVR.LT
        or DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SL or DicomVR.SS
        or DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.UN or DicomVR.US or DicomVR.UT or DicomVR.UV;

    private bool Read()
    {
        try
        {
            return _source.Read();
        }
        catch (MalformedJsonException e)
        {
            throw new DicomJsonException("malformed JSON: " + e.Message, string.Concat(_path), e.Line, e.Column, e.InnerException);
        }
    }

    private string Describe() => _source.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => _source.TokenType.ToString(),
    };

    private DicomJsonException Fail(string reason)
    {
        var (line, column) = _source.Position;
        return new DicomJsonException(reason, string.Concat(_path), line, column);
    }

    private sealed record PendingText(DicomTag Tag, DicomVR VR, string Value);

    private sealed class DatasetBuilder(DicomDataset dataset, DatasetBuilder? parent)
    {
        public DicomDataset Dataset { get; } = dataset;
        public DatasetBuilder? Parent { get; } = parent;
        public List<PendingText> Texts { get; } = [];
        public List<DatasetBuilder> Children { get; } = [];
        public HashSet<uint> Seen { get; } = [];
    }
}
