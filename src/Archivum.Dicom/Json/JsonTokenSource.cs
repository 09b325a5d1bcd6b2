using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Archivum.Dicom.Json;

/// <summary>
/// A forward-only sequence of JSON tokens with their line and column. Two kinds: one over the
/// input (<see cref="Utf8JsonTokenSource"/>) and one replaying tokens recorded from it
/// (<see cref="RecordedTokenSource"/>), for the attribute whose "Value" comes before its "vr".
/// </summary>
internal abstract class JsonTokenSource
{
    /// <summary>Moves to the next token; false at the end of the input.</summary>
    public abstract bool Read();

    public abstract JsonTokenType TokenType { get; }

    /// <summary>The text of a String or PropertyName token, unescaped; the text of a Number token as written.</summary>
    public abstract string GetText();

    /// <summary>The bytes of a String token holding base64; false when it is not valid base64.</summary>
    public abstract bool TryGetBase64(out byte[] bytes);

    /// <summary>Line (from 1) and column (from 1, in bytes) where the current token starts.</summary>
    public abstract (long Line, long Column) Position { get; }

    /// <summary>Copies the value that starts at the current token (a whole object or array) into a list.</summary>
    public List<RecordedToken> Record()
    {
        var tokens = new List<RecordedToken>();
        int depth = 0;
        do
        {
            var type = TokenType;
            string? text = type is JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number ? GetText() : null;
            var (line, column) = Position;
            tokens.Add(new RecordedToken(type, text, line, column));
            if (type is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                depth++;
            }
            else if (type is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
            }
        }
        while (depth > 0 && Read());
        return tokens;
    }

    /// <summary>Skips the value that starts at the current token.</summary>
    public void Skip()
    {
        int depth = 0;
        do
        {
            if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                depth++;
            }
            else if (TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
            }
        }
        while (depth > 0 && Read());
    }
}

/// <summary>A token kept for replay.</summary>
internal readonly record struct RecordedToken(JsonTokenType Type, string? Text, long Line, long Column);

/// <summary>Replays recorded tokens.</summary>
internal sealed class RecordedTokenSource(List<RecordedToken> tokens) : JsonTokenSource
{
    private int _index = -1;

    private RecordedToken Current => tokens[_index];

    public override bool Read() => ++_index < tokens.Count;

    public override JsonTokenType TokenType => Current.Type;

    public override string GetText() => Current.Text ?? string.Empty;

    public override bool TryGetBase64(out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(GetText());
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    public override (long Line, long Column) Position => (Current.Line, Current.Column);
}

/// <summary>
/// Tokens of UTF-8 JSON in memory or read from a stream through a growing buffer, with
/// <see cref="Utf8JsonReader"/> resumed over each refill (<see cref="JsonReaderState"/>), so a stream
/// is never read whole before parsing starts. Lines are counted as the input is consumed, so errors
/// can say where they are.
/// </summary>
internal sealed class Utf8JsonTokenSource : JsonTokenSource
{
    private readonly Stream? _stream;
    private byte[] _buffer;
    private ReadOnlyMemory<byte> _memory;
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;

    private JsonTokenType _type;
    private int _valueStart;
    private int _valueLength;
    private string? _unescaped;

    // Line accounting: absolute offsets (from the start of the input).
    private long _base;
    private int _scanned;
    private long _line = 1;
    private long _lineStart;
    private long _tokenLine = 1;
    private long _tokenColumn = 1;

    public Utf8JsonTokenSource(ReadOnlyMemory<byte> utf8, JsonReaderOptions options)
    {
        _buffer = [];
        _memory = utf8;
        _end = utf8.Length;
        _final = true;
        _state = new JsonReaderState(options);
        SkipByteOrderMark();
    }

    public Utf8JsonTokenSource(Stream stream, JsonReaderOptions options)
    {
        _stream = stream;
        _buffer = new byte[16 * 1024];
        _memory = _buffer;
        _state = new JsonReaderState(options);
        Fill();
        SkipByteOrderMark();
    }

    public override JsonTokenType TokenType => _type;

    public override (long Line, long Column) Position => (_tokenLine, _tokenColumn);

    public override bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_memory.Span[_start.._end], _final, _state);
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (JsonException e)
            {
                // The reader state carries its line and byte-in-line count across refills: these are positions in the whole input.
                throw new MalformedJsonException(StripPosition(e.Message), (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, e);
            }
            if (read)
            {
                _type = reader.TokenType;
                int tokenStart = _start + (int)reader.TokenStartIndex;
                _valueStart = tokenStart + (_type is JsonTokenType.String or JsonTokenType.PropertyName ? 1 : 0);
                _valueLength = reader.ValueSpan.Length;
                _unescaped = reader.ValueIsEscaped ? reader.GetString() : null;
                CountLines(tokenStart);
                _tokenLine = _line;
                _tokenColumn = _base + tokenStart - _lineStart + 1;
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return true;
            }
            if (_final)
            {
                return false;
            }
            Fill();
        }
    }

    public override string GetText() =>
        _unescaped ?? Encoding.UTF8.GetString(_memory.Span.Slice(_valueStart, _valueLength));

    public override bool TryGetBase64(out byte[] bytes)
    {
        if (_unescaped is not null)
        {
            try
            {
                bytes = Convert.FromBase64String(_unescaped);
                return true;
            }
            catch (FormatException)
            {
                bytes = [];
                return false;
            }
        }
        var encoded = _memory.Span.Slice(_valueStart, _valueLength);
        bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, bytes, out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            bytes = [];
            return false;
        }
        if (written != bytes.Length)
        {
            Array.Resize(ref bytes, written);
        }
        return true;
    }

    /// <summary>Moves the unread bytes to the front of the buffer (growing it when they fill it) and reads more.</summary>
    private void Fill()
    {
        CountLines(_start);
        int unread = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
            _base += _start;
            _scanned -= _start;
            _start = 0;
            _end = unread;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }
        int n = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        _end += n;
        _final = n == 0;
        _memory = _buffer;
    }

    private void SkipByteOrderMark()
    {
        if (_memory.Span[_start.._end].StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start += 3;
            _scanned = _start;
            _lineStart = _base + _start;
        }
    }

    private void CountLines(int upTo)
    {
        if (upTo <= _scanned)
        {
            return;
        }
        var span = _memory.Span[_scanned..upTo];
        int i;
        int offset = _scanned;
        while ((i = span.IndexOf((byte)'\n')) >= 0)
        {
            _line++;
            offset += i + 1;
            _lineStart = _base + offset;
            span = span[(i + 1)..];
        }
        _scanned = upTo;
    }

    // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 5." (from 0); the caller reports the position from 1.
    private static string StripPosition(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i >= 0 ? message[..i] : message).TrimEnd('.', ' ');
    }
}

/// <summary>Malformed JSON, with its position in the whole input; the parser adds the JSON path.</summary>
internal sealed class MalformedJsonException(string reason, long line, long column, Exception inner) : Exception(reason, inner)
{
    public long Line { get; } = line;
    public long Column { get; } = column;
}
