using System.Text;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// The .NET encodings behind the character sets that are not built from ISO 2022 tables:
/// ISO_IR 100 and the default repertoire (Latin-1, see <see cref="DicomCharacterSet.Default"/>),
/// ISO_IR 192 (UTF-8), GB18030 and GBK. None of them throws: undecodable bytes become U+FFFD,
/// unencodable characters '?'.
/// </summary>
internal static class TextEncodings
{
    // The code-page encodings (GB18030 = 54936, GBK = 936) come from System.Text.Encoding.CodePages,
    // which is in the shared framework but must be registered. The CLR runs a type initializer
    // once and under a lock, so this is the one, thread-safe registration; registering the same
    // provider again elsewhere is harmless.
    static TextEncodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb18030 = CodePage(54936);
        Gbk = CodePage(936);
    }

    /// <summary>ISO 8859-1; every byte decodes, characters above U+00FF encode as '?'.</summary>
    public static Encoding Latin1 => Encoding.Latin1;

    /// <summary>UTF-8 without byte order mark; ill-formed sequences decode as U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>GB 18030 (code page 54936).</summary>
    public static Encoding Gb18030 { get; }

    /// <summary>GBK (code page 936): GB 2312 and its extension, in two bytes.</summary>
    public static Encoding Gbk { get; }

    private static Encoding CodePage(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"));
}
