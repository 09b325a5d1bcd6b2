using System.Text;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// One defined term of Specific Character Set (0008,0005) and what it designates: the G0 and G1
/// sets of PS3.3 Tables C.12-2 to C.12-4, or, for the terms of Table C.12-5 that allow no code
/// extensions, the multi-byte encoding that replaces ISO 2022 altogether.
/// </summary>
internal sealed record DefinedTerm(string Term, GraphicSet? G0, GraphicSet? G1, bool CodeExtensions, Encoding? StandAlone)
{
    /// <summary>Table C.12-2 and C.12-5 terms: a single value, no escape sequences.</summary>
    public static DefinedTerm Plain(string term, GraphicSet g0, GraphicSet? g1) => new(term, g0, g1, false, null);

    /// <summary>Table C.12-3 and C.12-4 terms ("ISO 2022 ..."): escape sequences may switch sets.</summary>
    public static DefinedTerm Extended(string term, GraphicSet? g0, GraphicSet? g1) => new(term, g0, g1, true, null);

    /// <summary>Table C.12-5 terms: one encoding for the whole value, which cannot be combined with others.</summary>
    public static DefinedTerm Whole(string term, Encoding encoding) => new(term, null, null, false, encoding);
}
