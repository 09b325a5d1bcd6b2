using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// The character set that Specific Character Set (0008,0005) selects (PS3.3 C.12.1.1.2, PS3.5 §6.1):
/// decodes the raw bytes of text values to strings and encodes strings back. Immutable and
/// thread-safe; <see cref="FromSpecificCharacterSet"/> hands out one shared instance per value.
/// </summary>
/// <remarks>
/// Every defined term of PS3.3 Tables C.12-2 to C.12-5 is supported, with ISO 2022 escape
/// sequences (PS3.5 §6.1.2.5) for the "ISO 2022" terms. Like DCMTK and pydicom, a bad
/// Specific Character Set never throws: unknown or misspelt terms are replaced and reported in
/// <see cref="Warnings"/>, and bytes that mean nothing decode as U+FFFD.
/// </remarks>
public sealed class DicomCharacterSet
{
    private const byte Esc = 0x1B;
    private const int StackLimit = 512;

    // Specific Character Set comes from untrusted input: past this many distinct values, new
    // ones are still parsed correctly but no longer kept, so the cache cannot grow without bound.
    private const int CacheLimit = 256;

    private static readonly ConcurrentDictionary<string, DicomCharacterSet> Cache = new(StringComparer.Ordinal);

    // The decoding paths, fastest first. _whole: one .NET encoding for the whole value (the
    // default repertoire, ISO_IR 100, ISO_IR 192, GB18030, GBK). _plainEncoding / _plainTable:
    // the initial G0 and G1 sets, for a character set without code extensions or a value with
    // no escape sequence in it. Otherwise the ISO 2022 state machine.
    private readonly Encoding? _whole;
    private readonly Encoding? _plainEncoding;
    private readonly string? _plainTable;
    private readonly bool _codeExtensions;
    private readonly GraphicSet _initialG0;
    private readonly GraphicSet? _initialG1;
    private readonly GraphicSet[] _extensions;

    private DicomCharacterSet(string[] terms, string[] warnings, Encoding? whole, bool codeExtensions,
        GraphicSet initialG0, GraphicSet? initialG1, GraphicSet[] extensions)
    {
        // Read-only views: the instance is shared between threads and callers.
        Terms = Array.AsReadOnly(terms);
        Warnings = Array.AsReadOnly(warnings);
        _codeExtensions = codeExtensions;
        _initialG0 = initialG0;
        _initialG1 = initialG1;
        _extensions = extensions;
        if (whole is null && (initialG1 is null || initialG1 == GraphicSets.Latin1) && (!codeExtensions || extensions.Length == 0))
        {
            // ISO_IR 100, or ISO-IR 6 alone (e.g. "ISO 2022 IR 6", or an unknown term replaced):
            // Latin-1 decodes it all.
            whole = TextEncodings.Latin1;
            _codeExtensions = false;
        }

        _whole = whole;
        IsDefault = whole == TextEncodings.Latin1 && initialG1 is null;
        if (whole is null)
        {
            if (initialG1 is null || initialG1 == GraphicSets.Latin1)
            {
                _plainEncoding = TextEncodings.Latin1;
            }
            else
            {
                // Null for a two-byte G1 set as value 1: those values always take the state machine.
                _plainTable = initialG1.ByteTable;
            }
        }
    }

    /// <summary>
    /// No Specific Character Set: the default repertoire, ISO-IR 6 (ASCII). Bytes above 7F, which
    /// it does not have, are read as ISO 8859-1, as pydicom reads them by default, so that nothing
    /// is lost; Encode writes those characters back as the same bytes.
    /// </summary>
    public static DicomCharacterSet Default { get; } =
        new([], [], TextEncodings.Latin1, false, GraphicSets.Ascii, null, []);

    /// <summary>The values of Specific Character Set as given, trimmed; empty for <see cref="Default"/>.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>What was wrong with the value and what was done instead (unknown terms replaced, misspellings read); usually empty.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when text decodes as with no Specific Character Set at all.</summary>
    public bool IsDefault { get; }

    /// <summary>
    /// The character set for a value of Specific Character Set as stored, backslash-separated,
    /// e.g. "ISO_IR 192" or "\ISO 2022 IR 87" (padding may be left on). Null, empty or blank gives
    /// <see cref="Default"/>. Repeated calls with the same string return the same instance.
    /// </summary>
    public static DicomCharacterSet FromSpecificCharacterSet(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Default;
        }

        if (Cache.TryGetValue(value, out var known))
        {
            return known;
        }

        var created = Create(value);
        return Cache.Count < CacheLimit ? Cache.GetOrAdd(value, created) : created;
    }

    /// <summary>
    /// Decodes the whole raw value of a text element: all its values with their '\' separators,
    /// a PN's '=' groups and '^' components. Padding is left for the caller to trim. VRs that
    /// Specific Character Set does not affect (PS3.5 §6.1.2.3: AE, CS, DA, UI, …) decode in the
    /// default repertoire. Never throws; meaningless bytes decode as U+FFFD.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (!vr.IsCharacterSetSensitive())
        {
            return TextEncodings.Latin1.GetString(value);
        }

        if (_whole is not null)
        {
            return _whole.GetString(value);
        }

        if (!_codeExtensions || !value.Contains(Esc))
        {
            if (_plainEncoding is not null)
            {
                return _plainEncoding.GetString(value);
            }

            if (_plainTable is not null)
            {
                return DecodeWithTable(value, _plainTable);
            }
        }

        return Iso2022Decoder.Decode(value, vr, _initialG0, _initialG1);
    }

    /// <summary>
    /// Encodes a value, the inverse of <see cref="Decode"/>: with code extensions, escape sequences
    /// switch to the first set of Specific Character Set that has a character, and switch back
    /// before each delimiter and at the end (PS3.5 §6.1.2.5.3). No padding is added. A character
    /// that no set has is written as '?'.
    /// </summary>
    public byte[] Encode(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!vr.IsCharacterSetSensitive())
        {
            return TextEncodings.Latin1.GetBytes(value);
        }

        if (_whole is not null)
        {
            return _whole.GetBytes(value);
        }

        return Iso2022Encoder.Encode(value, vr, _initialG0, _initialG1, _codeExtensions ? _extensions : []);
    }

    /// <summary>The terms joined by '\', as Specific Character Set stores them.</summary>
    public override string ToString() => string.Join('\\', Terms);

    private static string DecodeWithTable(ReadOnlySpan<byte> value, string table)
    {
        char[]? rented = null;
        Span<char> output = value.Length <= StackLimit
            ? stackalloc char[value.Length]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            for (var i = 0; i < value.Length; i++)
            {
                output[i] = table[value[i]];
            }

            return new string(output[..value.Length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static DicomCharacterSet Create(string value)
    {
        var terms = value.Split('\\');
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = terms[i].Trim().Trim('\0').Trim();
        }

        if (Array.TrueForAll(terms, t => t.Length == 0))
        {
            return Default;
        }

        var warnings = new List<string>();
        var resolved = new DefinedTerm?[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            resolved[i] = Resolve(terms, i, warnings);
        }

        var first = resolved[0] ?? DefinedTerms.Find("ISO 2022 IR 6")!;
        if (first.StandAlone is { } whole)
        {
            // PS3.3 Table C.12-5: these replace ISO 2022 altogether.
            if (terms.Length > 1)
            {
                warnings.Add($"'{first.Term}' does not allow code extensions (PS3.3 Table C.12-5); ignored: {string.Join(", ", terms[1..].Where(t => t.Length > 0))}");
            }

            return new DicomCharacterSet(terms, [.. warnings], whole, false, GraphicSets.Ascii, null, []);
        }

        if (terms.Length == 1)
        {
            var extensions = first.CodeExtensions ? SetsOf(first) : [];
            return Build(terms, warnings, first, first.CodeExtensions, extensions);
        }

        // Several values: code extensions (PS3.3 C.12.1.1.2). Value 1 gives the initial sets.
        var sets = new List<GraphicSet>();
        for (var i = 0; i < terms.Length; i++)
        {
            var term = i == 0 ? first : resolved[i];
            if (term is null)
            {
                continue;
            }

            if (term.StandAlone is not null)
            {
                warnings.Add($"'{term.Term}' cannot be used as a code extension (PS3.3 Table C.12-5); ignored");
                continue;
            }

            if (!term.CodeExtensions)
            {
                var extended = DefinedTerms.WithCodeExtensions(term)!;
                if (term.Term != "ISO_IR 6")
                {
                    warnings.Add($"'{term.Term}' names a character set without code extensions but Specific Character Set has several values; read as '{extended.Term}'");
                }

                term = extended;
                if (i == 0)
                {
                    first = term;
                }
            }

            foreach (var set in SetsOf(term))
            {
                if (!sets.Contains(set))
                {
                    sets.Add(set);
                }
            }
        }

        return Build(terms, warnings, first, true, [.. sets]);
    }

    private static DicomCharacterSet Build(string[] terms, List<string> warnings, DefinedTerm first, bool codeExtensions, GraphicSet[] extensions)
    {
        var g0 = first.G0 ?? GraphicSets.Ascii;
        var g1 = first.G1;
        if (g0.IsDoubleByte)
        {
            // PS3.3 Table C.12-4 is for values 2 to n. Text before any escape sequence is read in
            // ISO-IR 6, as pydicom reads it; the set is still there for escape sequences.
            warnings.Add($"'{first.Term}' is not allowed as value 1 (PS3.3 Table C.12-4); text before an escape sequence is read as ISO 2022 IR 6");
            g0 = GraphicSets.Ascii;
        }
        else if (g1 is { IsDoubleByte: true })
        {
            // As pydicom does, the set is taken to be in G1 from the start.
            warnings.Add($"'{first.Term}' is not allowed as value 1 (PS3.3 Table C.12-4); bytes above 7F before an escape sequence are read as {g1.Name}");
        }

        return new DicomCharacterSet(terms, [.. warnings], null, codeExtensions, g0, g1, extensions);
    }

    private static GraphicSet[] SetsOf(DefinedTerm term)
    {
        // The ASCII-like G0 sets never need designating for a non-ASCII character.
        var sets = new List<GraphicSet>(2);
        if (term.G0 is { IsDoubleByte: true } g0)
        {
            sets.Add(g0);
        }

        if (term.G1 is { } g1)
        {
            sets.Add(g1);
        }

        return [.. sets];
    }

    private static DefinedTerm? Resolve(string[] terms, int index, List<string> warnings)
    {
        var term = terms[index];
        if (term.Length == 0)
        {
            // PS3.3 C.12.1.1.2: an empty value 1 with code extensions means ISO 2022 IR 6.
            if (index > 0)
            {
                warnings.Add($"Specific Character Set value {index + 1} is empty; ignored");
            }

            return null;
        }

        if (DefinedTerms.Find(term) is { } exact)
        {
            return exact;
        }

        if (DefinedTerms.FindCorrected(term) is { } corrected)
        {
            warnings.Add($"Specific Character Set term '{term}' is misspelt; read as '{corrected.Term}'");
            return corrected;
        }

        warnings.Add(index == 0
            ? $"Unknown Specific Character Set term '{term}' replaced by the default repertoire (ISO_IR 6, bytes above 7F read as ISO_IR 100)"
            : $"Unknown Specific Character Set term '{term}' (value {index + 1}) ignored");
        return null;
    }
}
