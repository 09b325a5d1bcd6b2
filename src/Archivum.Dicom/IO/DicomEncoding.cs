namespace Archivum.Dicom.IO;

/// <summary>The two choices of a data set encoding that matter to the parser and writer (PS3.5 §7.1, §7.3).</summary>
public readonly record struct DicomEncoding(bool ExplicitVR, bool LittleEndian)
{
    public static DicomEncoding ImplicitLittle => new(false, true);
    public static DicomEncoding ExplicitLittle => new(true, true);
    public static DicomEncoding ExplicitBig => new(true, false);

    public static DicomEncoding Of(Model.DicomTransferSyntax syntax) => new(syntax.IsExplicitVR, syntax.IsLittleEndian);
}
