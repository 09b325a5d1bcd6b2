using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Dictionary;

/// <summary>
/// Reads the generated tables of <see cref="DictionaryTables"/>: UTF-8 text, one entry a line,
/// fields separated by one space, the last field running to the end of the line. The tables are
/// written by tools/Archivum.DictionaryGenerator, so a malformed line is a bug, reported loudly.
/// </summary>
internal ref struct DictionaryTableReader
{
    private readonly ReadOnlySpan<byte> _table;
    private readonly string _tableName;
    private int _position;
    private ReadOnlySpan<byte> _rest;

    public DictionaryTableReader(ReadOnlySpan<byte> table, string tableName)
    {
        _table = table;
        _tableName = tableName;
        LineNumber = 0;
    }

    public int LineNumber { get; private set; }

    /// <summary>The current line, without its end of line.</summary>
    public ReadOnlySpan<byte> Line { get; private set; }

    /// <summary>Moves to the next non-empty line.</summary>
    public bool MoveNext()
    {
        while (_position < _table.Length)
        {
            var remaining = _table[_position..];
            int end = remaining.IndexOf((byte)'\n');
            var line = end < 0 ? remaining : remaining[..end];
            _position += end < 0 ? remaining.Length : end + 1;
            LineNumber++;
            // A checkout with CRLF line endings puts CR into the raw literal too.
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.Length > 0)
            {
                Line = line;
                _rest = line;
                return true;
            }
        }
        return false;
    }

    /// <summary>The next space-separated field of the current line.</summary>
    public ReadOnlySpan<byte> Field()
    {
        int space = _rest.IndexOf((byte)' ');
        if (space <= 0)
        {
            throw Malformed("missing field");
        }
        var field = _rest[..space];
        _rest = _rest[(space + 1)..];
        return field;
    }

    /// <summary>The rest of the current line as text.</summary>
    public string Rest() => _rest.Length > 0 ? Encoding.UTF8.GetString(_rest) : throw Malformed("missing text");

    public string FieldText() => Encoding.UTF8.GetString(Field());

    public uint FieldHex32() => Utf8Parser.TryParse(Field(), out uint value, out int consumed, 'X') && consumed == 8 ? value : throw Malformed("bad hexadecimal");

    public ushort Hex16(ReadOnlySpan<byte> field) =>
        Utf8Parser.TryParse(field, out ushort value, out int consumed, 'X') && consumed == field.Length ? value : throw Malformed("bad hexadecimal");

    /// <summary>A '-' or 'R' flag field.</summary>
    public bool FieldFlag() => Field() switch
    {
        [(byte)'R'] => true,
        [(byte)'-'] => false,
        _ => throw Malformed("bad flag"),
    };

    /// <summary>A VR list field ("PN", "OW/OB", "-" for none), shared between entries through <paramref name="cache"/>.</summary>
    public IReadOnlyList<DicomVR> FieldVRs(Dictionary<string, IReadOnlyList<DicomVR>> cache)
    {
        string text = FieldText();
        if (cache.TryGetValue(text, out var vrs))
        {
            return vrs;
        }
        var builder = ImmutableArray.CreateBuilder<DicomVR>();
        if (text != "-")
        {
            foreach (var part in text.Split('/'))
            {
                builder.Add(DicomVRExtensions.TryParse(part, out var vr) ? vr : throw Malformed($"bad VR {part}"));
            }
        }
        vrs = builder.ToImmutable();
        cache.Add(text, vrs);
        return vrs;
    }

    /// <summary>A text field shared between entries through <paramref name="cache"/> (VMs, names like "Unknown").</summary>
    public static string Intern(string text, Dictionary<string, string> cache)
    {
        if (cache.TryGetValue(text, out var shared))
        {
            return shared;
        }
        cache.Add(text, text);
        return text;
    }

    public readonly InvalidOperationException Malformed(string reason) =>
        new($"Generated dictionary table {_tableName}, line {LineNumber}: {reason}. Regenerate it with tools/Archivum.DictionaryGenerator.");
}
