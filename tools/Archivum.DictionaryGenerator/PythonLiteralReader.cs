using System.Globalization;
using System.Text;

namespace Archivum.DictionaryGenerator;

/// <summary>
/// Reads the dictionary literals of pydicom's generated modules (<c>_dicom_dict.py</c>,
/// <c>_uid_dict.py</c>) as text, so that generating needs no Python. It understands exactly
/// what those files use: <c>NAME[: annotation] = { key: (str, ...), ... }</c> with integer or
/// string keys, comments and docstrings; anything else is an error rather than a guess.
/// </summary>
internal sealed class PythonLiteralReader
{
    private readonly string _text;
    private readonly string _source;
    private int _pos;

    public PythonLiteralReader(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>Finds the top-level assignment to <paramref name="name"/> and reads its dictionary of tuples of strings.</summary>
    public static IReadOnlyList<KeyValuePair<object, IReadOnlyList<string>>> ReadDictionary(string text, string source, string name)
    {
        var reader = new PythonLiteralReader(text, source);
        reader.SeekAssignment(name);
        return reader.ReadDict();
    }

    private void SeekAssignment(string name)
    {
        while (true)
        {
            var token = Next();
            if (token is null)
            {
                throw Error($"no assignment to {name}");
            }
            if (token is Identifier { Name: var id } && id == name)
            {
                // Skip an annotation such as ": Dict[int, Tuple[str, ...]]" up to the '='.
                while (Next() is { } t && !(t is Punct { Char: '=' }))
                {
                    if (t is Punct { Char: '{' })
                    {
                        throw Error($"expected '=' after {name}");
                    }
                }
                return;
            }
        }
    }

    private List<KeyValuePair<object, IReadOnlyList<string>>> ReadDict()
    {
        Expect('{');
        var result = new List<KeyValuePair<object, IReadOnlyList<string>>>();
        while (true)
        {
            var token = Next() ?? throw Error("unterminated dictionary");
            if (token is Punct { Char: '}' })
            {
                return result;
            }
            object key = token switch
            {
                IntLiteral i => i.Value,
                StringLiteral s => s.Value,
                _ => throw Error($"unexpected dictionary key {token}"),
            };
            Expect(':');
            Expect('(');
            var values = new List<string>();
            while (true)
            {
                var item = Next() ?? throw Error("unterminated tuple");
                if (item is Punct { Char: ')' })
                {
                    break;
                }
                if (item is not StringLiteral str)
                {
                    throw Error($"unexpected tuple item {item}");
                }
                values.Add(str.Value);
                var separator = Next();
                if (separator is Punct { Char: ')' })
                {
                    break;
                }
                if (separator is not Punct { Char: ',' })
                {
                    throw Error($"expected ',' or ')' in tuple, found {separator}");
                }
            }
            result.Add(new(key, values));
            var after = Next() ?? throw Error("unterminated dictionary");
            if (after is Punct { Char: '}' })
            {
                return result;
            }
            if (after is not Punct { Char: ',' })
            {
                throw Error($"expected ',' or '}}' after an entry, found {after}");
            }
        }
    }

    private void Expect(char c)
    {
        var token = Next();
        if (token is not Punct p || p.Char != c)
        {
            throw Error($"expected '{c}', found {token?.ToString() ?? "end of file"}");
        }
    }

    private abstract record Token;
    private sealed record Punct(char Char) : Token;
    private sealed record Identifier(string Name) : Token;
    private sealed record IntLiteral(long Value) : Token;
    private sealed record StringLiteral(string Value) : Token;

    private Token? Next()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (char.IsWhiteSpace(c) || c == '\\')
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c is '\'' or '"')
            {
                return new StringLiteral(ReadString());
            }
            else if (char.IsAsciiDigit(c))
            {
                return new IntLiteral(ReadInteger());
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }
                var id = _text[start.._pos];
                // A string prefix (r'', u'', b'') is not used by pydicom's generated files.
                if (_pos < _text.Length && _text[_pos] is '\'' or '"' && id.Length <= 2)
                {
                    throw Error($"string prefix {id} is not supported");
                }
                return new Identifier(id);
            }
            else
            {
                _pos++;
                return new Punct(c);
            }
        }
        return null;
    }

    private long ReadInteger()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }
        var literal = _text[start.._pos].Replace("_", "", StringComparison.Ordinal);
        bool ok = literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(literal.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long value)
            : long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw Error($"bad integer literal {literal}");
    }

    private string ReadString()
    {
        char quote = _text[_pos];
        bool triple = _pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
        _pos += triple ? 3 : 1;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }
            char c = _text[_pos];
            if (c == quote && (!triple || (_pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)))
            {
                _pos += triple ? 3 : 1;
                return sb.ToString();
            }
            if (c == '\n' && !triple)
            {
                throw Error("newline in string");
            }
            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length)
                {
                    throw Error("unterminated escape");
                }
                char e = _text[_pos + 1];
                _pos += 2;
                switch (e)
                {
                    case '\\': sb.Append('\\'); break;
                    case '\'': sb.Append('\''); break;
                    case '"': sb.Append('"'); break;
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case '\n': break; // line continuation inside a string
                    case 'u' when _pos + 4 <= _text.Length:
                        sb.Append((char)int.Parse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                        _pos += 4;
                        break;
                    default: throw Error($"unsupported escape \\{e}");
                }
                continue;
            }
            sb.Append(c);
            _pos++;
        }
    }

    private InvalidDataException Error(string message)
    {
        int line = 1;
        for (int i = 0; i < Math.Min(_pos, _text.Length); i++)
        {
            if (_text[i] == '\n')
            {
                line++;
            }
        }
        return new InvalidDataException($"{_source}:{line}: {message}");
    }
}
