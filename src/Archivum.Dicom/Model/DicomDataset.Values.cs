using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Model;

// Typed reading and writing of values (PS3.5 §6.2 rules); the storage side is in DicomDataset.cs.
public sealed partial class DicomDataset
{
    /// <summary>
    /// The whole value as text, padding removed: text VRs decoded with this data set's character
    /// set; binary VRs formatted as backslash-separated numbers (AT as tags). Null when absent or not a value.
    /// </summary>
    public string? GetString(DicomTag tag)
    {
        if (this[tag] is not DicomValueElement e)
        {
            return null;
        }
        if (e.VR.IsString())
        {
            string text = DecodeText(e);
            return e.VR.IsSingleValuedText() ? DicomText.TrimValue(text, e.VR).ToString() : string.Join('\\', DicomText.SplitValues(text, e.VR));
        }
        return FormatBinary(e);
    }

    /// <summary>The values of a text element, each trimmed (empty array when absent or empty).</summary>
    public string[] GetStrings(DicomTag tag) => this[tag] is DicomValueElement { VR: var vr } e && vr.IsString()
        ? DicomText.SplitValues(DecodeText(e), vr)
        : GetString(tag) is { Length: > 0 } s ? s.Split('\\') : [];

    /// <summary>Decodes a text element's raw value with the character set in force for this data set.</summary>
    public string DecodeText(DicomValueElement element)
    {
        var bytes = element.Memory.Span;
        return element.VR.IsCharacterSetSensitive() ? CharacterSet.Decode(bytes, element.VR) : DicomText.DecodeDefault(bytes);
    }

    /// <summary>Number of values (VM) of an element: text values, binary values, or sequence items.</summary>
    public int GetValueCount(DicomTag tag) => this[tag] switch
    {
        DicomValueElement e when e.VR.IsString() => e.IsEmpty ? 0 : (e.VR.IsSingleValuedText() ? 1 : GetStrings(tag).Length),
        DicomValueElement e => (int)(e.Length / e.VR.ValueSize()),
        DicomSequence s => s.Items.Count,
        DicomFragmentSequence => 1,
        _ => 0,
    };

    /// <summary>
    /// A numeric value: from a binary VR (US, SL, FD, …) of any size, or parsed from IS/DS text.
    /// Throws when the element is absent, the index is out of range, or the value does not fit <typeparamref name="T"/>.
    /// </summary>
    public T GetValue<T>(DicomTag tag, int index = 0) where T : INumber<T> =>
        TryGetValue(tag, out T value, index) ? value : throw new KeyNotFoundException($"{tag} has no numeric value at index {index}");

    /// <summary>As <see cref="GetValue{T}"/>, without throwing for an absent or non-numeric value.</summary>
    public bool TryGetValue<T>(DicomTag tag, out T value, int index = 0) where T : INumber<T>
    {
        value = T.Zero;
        if (this[tag] is not DicomValueElement e || index < 0)
        {
            return false;
        }
        if (e.VR is DicomVR.IS or DicomVR.DS)
        {
            var values = DicomText.SplitValues(DicomText.DecodeDefault(e.Memory.Span), e.VR);
            if (index >= values.Length || !double.TryParse(values[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                return false;
            }
            return TryConvert(d, out value);
        }
        int size = e.VR.ValueSize();
        if (e.VR.IsString() || (long)(index + 1) * size > e.Length)
        {
            return false;
        }
        var span = e.Memory.Span[(index * size)..];
        return e.VR switch
        {
            DicomVR.US or DicomVR.OW => TryConvert(BinaryPrimitives.ReadUInt16LittleEndian(span), out value),
            DicomVR.SS => TryConvert(BinaryPrimitives.ReadInt16LittleEndian(span), out value),
            DicomVR.UL or DicomVR.OL => TryConvert(BinaryPrimitives.ReadUInt32LittleEndian(span), out value),
            DicomVR.SL => TryConvert(BinaryPrimitives.ReadInt32LittleEndian(span), out value),
            DicomVR.FL or DicomVR.OF => TryConvert(BinaryPrimitives.ReadSingleLittleEndian(span), out value),
            DicomVR.FD or DicomVR.OD => TryConvert(BinaryPrimitives.ReadDoubleLittleEndian(span), out value),
            DicomVR.SV => TryConvert(BinaryPrimitives.ReadInt64LittleEndian(span), out value),
            DicomVR.UV or DicomVR.OV => TryConvert(BinaryPrimitives.ReadUInt64LittleEndian(span), out value),
            DicomVR.OB or DicomVR.UN => TryConvert(span[0], out value),
            _ => false,
        };
    }

    /// <summary>Every numeric value of an element (empty when absent).</summary>
    public T[] GetValues<T>(DicomTag tag) where T : INumber<T>
    {
        int n = this[tag] is DicomValueElement e && !e.VR.IsString() ? (int)(e.Length / e.VR.ValueSize()) : GetStrings(tag).Length;
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = GetValue<T>(tag, i);
        }
        return values;
    }

    /// <summary>A Person Name value (PS3.5 §6.2.1), or null when absent.</summary>
    public DicomPersonName? GetPersonName(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length ? DicomPersonName.Parse(values[index]) : null;
    }

    /// <summary>A DA, TM or DT value with its precision, or null when absent, empty or malformed.</summary>
    public DicomDateTime? GetDateTime(DicomTag tag, int index = 0)
    {
        if (this[tag] is not DicomValueElement { VR: DicomVR.DA or DicomVR.TM or DicomVR.DT } e)
        {
            return null;
        }
        var values = GetStrings(tag);
        return index < values.Length && DicomDateTime.TryParse(values[index], e.VR, out var value) ? value : null;
    }

    /// <summary>A DA value as a date, or null.</summary>
    public DateOnly? GetDate(DicomTag tag) => GetDateTime(tag)?.Date;

    /// <summary>A TM value as a time of day, or null.</summary>
    public TimeOnly? GetTime(DicomTag tag) => GetDateTime(tag)?.Time;

    /// <summary>Sets a DA, TM or DT value (per the dictionary's VR) at the value's precision.</summary>
    public void SetDateTime(DicomTag tag, DicomDateTime value)
    {
        var vr = VRFromDictionary(tag);
        SetString(tag, vr, value.ToString(vr));
    }

    /// <summary>Sets a DA value.</summary>
    public void SetDate(DicomTag tag, DateOnly date) =>
        SetString(tag, DicomVR.DA, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>Sets a TM value to the microsecond.</summary>
    public void SetTime(DicomTag tag, TimeOnly time) =>
        SetString(tag, DicomVR.TM, time.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture));

    /// <summary>The items of a sequence (empty when absent).</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => this[tag] is DicomSequence s ? s.Items : [];

    /// <summary>Sets a text value with the VR the dictionary gives the tag.</summary>
    public void SetString(DicomTag tag, string value) => SetString(tag, VRFromDictionary(tag), value);

    /// <summary>Sets a text value (several values separated by backslashes), encoded with this data set's character set and padded to even length.</summary>
    public void SetString(DicomTag tag, DicomVR vr, string value)
    {
        if (!vr.IsString())
        {
            throw new ArgumentException($"{vr} is not a text VR; use SetValues", nameof(vr));
        }
        // Setting (0008,0005) itself changes how the others are decoded, so encode it in the default repertoire.
        byte[] bytes = vr.IsCharacterSetSensitive() ? CharacterSet.Encode(value, vr) : Encoding.Latin1.GetBytes(value);
        if (!Ascii.IsValid(value) && (vr.IsCharacterSetSensitive() ? CharacterSet.Decode(bytes, vr) : Encoding.Latin1.GetString(bytes)) != value)
        {
            // Never store a value that reads back as something else (a '?' for each character lost).
            throw new ArgumentException(vr.IsCharacterSetSensitive()
                ? $"'{value}' cannot be encoded in the character set '{CharacterSet}' of this data set; set Specific Character Set (0008,0005) first, e.g. to ISO_IR 192 (UTF-8)"
                : $"{vr} values are limited to the default repertoire (PS3.5 §6.1.2.3); '{value}' is not", nameof(value));
        }
        AddOrReplace(new DicomValueElement(tag, vr, Pad(bytes, vr)));
    }

    /// <summary>Sets several text values with the dictionary's VR.</summary>
    public void SetStrings(DicomTag tag, params string[] values) => SetString(tag, string.Join('\\', values));

    /// <summary>Sets numeric values with the dictionary's VR: binary VRs encoded little endian, IS/DS formatted as text.</summary>
    public void SetValues<T>(DicomTag tag, params T[] values) where T : INumber<T> => SetValues(tag, VRFromDictionary(tag), values);

    /// <summary>Sets numeric values with the given VR.</summary>
    public void SetValues<T>(DicomTag tag, DicomVR vr, params T[] values) where T : INumber<T>
    {
        if (vr is DicomVR.IS or DicomVR.DS)
        {
            var text = string.Join('\\', values.Select(v => vr == DicomVR.IS
                ? long.CreateChecked(v).ToString(CultureInfo.InvariantCulture)
                : FormatDecimalString(double.CreateChecked(v))));
            SetString(tag, vr, text);
            return;
        }
        int size = vr.ValueSize();
        if (vr.IsString() || vr is DicomVR.SQ or DicomVR.None)
        {
            throw new ArgumentException($"{vr} cannot hold numbers", nameof(vr));
        }
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            var span = bytes.AsSpan(i * size);
            switch (vr)
            {
                case DicomVR.US or DicomVR.OW: BinaryPrimitives.WriteUInt16LittleEndian(span, ushort.CreateChecked(values[i])); break;
                case DicomVR.SS: BinaryPrimitives.WriteInt16LittleEndian(span, short.CreateChecked(values[i])); break;
                case DicomVR.UL or DicomVR.OL: BinaryPrimitives.WriteUInt32LittleEndian(span, uint.CreateChecked(values[i])); break;
                case DicomVR.SL: BinaryPrimitives.WriteInt32LittleEndian(span, int.CreateChecked(values[i])); break;
                case DicomVR.FL or DicomVR.OF: BinaryPrimitives.WriteSingleLittleEndian(span, float.CreateChecked(values[i])); break;
                case DicomVR.FD or DicomVR.OD: BinaryPrimitives.WriteDoubleLittleEndian(span, double.CreateChecked(values[i])); break;
                case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(span, long.CreateChecked(values[i])); break;
                case DicomVR.UV or DicomVR.OV: BinaryPrimitives.WriteUInt64LittleEndian(span, ulong.CreateChecked(values[i])); break;
                case DicomVR.AT: BinaryPrimitives.WriteUInt32LittleEndian(span, RotateTag(uint.CreateChecked(values[i]))); break;
                default: span[0] = byte.CreateChecked(values[i]); break;
            }
        }
        AddOrReplace(new DicomValueElement(tag, vr, Pad(bytes, vr)));
    }

    /// <summary>Sets attribute tags (VR AT).</summary>
    public void SetTags(DicomTag tag, params DicomTag[] values) => SetValues(tag, DicomVR.AT, values.Select(t => t.Value).ToArray());

    /// <summary>The tags of an AT element.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        if (this[tag] is not DicomValueElement { VR: DicomVR.AT } e)
        {
            return [];
        }
        var span = e.Memory.Span;
        var tags = new DicomTag[span.Length / 4];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4 + 2)..]));
        }
        return tags;
    }

    /// <summary>Sets raw bytes (little endian) with the given VR, padded to even length.</summary>
    public void SetBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) => AddOrReplace(new DicomValueElement(tag, vr, bytes.Length % 2 == 0 ? bytes : Pad(bytes.ToArray(), vr)));

    /// <summary>Sets a sequence with these items (replacing any element with the tag).</summary>
    public DicomSequence SetSequence(DicomTag tag, params DicomDataset[] items)
    {
        var sequence = new DicomSequence(tag, items);
        AddOrReplace(sequence);
        return sequence;
    }

    /// <summary>Formats a DS value in at most 16 characters (PS3.5 Table 6.2-1), as precisely as that allows.</summary>
    public static string FormatDecimalString(double value)
    {
        for (int digits = 16; digits > 0; digits--)
        {
            string s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16)
            {
                return s;
            }
        }
        return value.ToString("E3", CultureInfo.InvariantCulture);
    }

    private static DicomVR VRFromDictionary(DicomTag tag)
    {
        var vr = DicomDictionary.GetImplicitVR(tag);
        if (vr is DicomVR.UN or DicomVR.None)
        {
            throw new ArgumentException($"the dictionary does not know the VR of {tag}; pass it explicitly", nameof(tag));
        }
        return vr;
    }

    private static ReadOnlyMemory<byte> Pad(byte[] bytes, DicomVR vr)
    {
        if (bytes.Length % 2 == 0)
        {
            return bytes;
        }
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte();
        return padded;
    }

    // AT values are stored as group then element, each 16-bit little endian (PS3.5 §6.2, AT).
    private static uint RotateTag(uint tag) => (tag >> 16) | (tag << 16);

    private static bool TryConvert<TFrom, T>(TFrom from, out T value) where TFrom : INumberBase<TFrom> where T : INumber<T>
    {
        try
        {
            value = T.CreateChecked(from);
            return true;
        }
        catch (OverflowException)
        {
            value = T.Zero;
            return false;
        }
    }

    private static string FormatBinary(DicomValueElement e)
    {
        if (e.VR is DicomVR.OB or DicomVR.UN or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV || e.VR == DicomVR.None)
        {
            return $"({e.Length} bytes)";
        }
        var span = e.Memory.Span;
        int size = e.VR.ValueSize();
        var sb = new StringBuilder();
        for (int i = 0; i + size <= span.Length; i += size)
        {
            if (sb.Length > 0)
            {
                sb.Append('\\');
            }
            var v = span[i..];
            switch (e.VR)
            {
                case DicomVR.US: sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(v)); break;
                case DicomVR.SS: sb.Append(BinaryPrimitives.ReadInt16LittleEndian(v)); break;
                case DicomVR.UL: sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(v)); break;
                case DicomVR.SL: sb.Append(BinaryPrimitives.ReadInt32LittleEndian(v)); break;
                case DicomVR.FL: sb.Append(BinaryPrimitives.ReadSingleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture)); break;
                case DicomVR.FD: sb.Append(BinaryPrimitives.ReadDoubleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture)); break;
                case DicomVR.SV: sb.Append(BinaryPrimitives.ReadInt64LittleEndian(v)); break;
                case DicomVR.UV: sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(v)); break;
                case DicomVR.AT:
                    sb.Append(new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..])).ToString());
                    break;
            }
        }
        return sb.ToString();
    }
}
