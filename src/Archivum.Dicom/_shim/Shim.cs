// TEMPORARY stand-in for the generated dictionary and the character sets while their branches are finished; removed when they merge.
// TEMPORARY, never committed: stands in for the dictionary and character set APIs until their branches merge.
#pragma warning disable
using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Model;
namespace Archivum.Dicom.Dictionary
{
    public sealed class DicomDictionaryEntry { public IReadOnlyList<DicomVR> VRs { get; } = []; public string Keyword => ""; public string VM => "1"; public string Name => ""; public bool IsRetired => false; }
    public static class DicomDictionary
    {
        public static bool TryGetEntry(DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry) { entry = null; return false; }
        public static DicomVR GetImplicitVR(DicomTag tag) => tag.Value switch { 0x00080005 => DicomVR.CS, 0x00100010 => DicomVR.PN, 0x00280010 or 0x00280011 or 0x00280103 => DicomVR.US, 0x00080016 or 0x00080018 or 0x0020000D => DicomVR.UI, 0x7FE00010 => DicomVR.OW, 0x00081115 => DicomVR.SQ, _ => DicomVR.UN };
        public static bool TryGetTag(ReadOnlySpan<char> keyword, out DicomTag tag) { tag = default; return false; }
        public static string? GetKeyword(DicomTag tag) => null;
    }
}
namespace Archivum.Dicom.Dictionary
{
    public sealed class DicomUidInfo { public string Uid { get; init; } = ""; }
    public static class DicomUidRegistry
    {
        public static bool TryGetByKeyword(ReadOnlySpan<char> keyword, [NotNullWhen(true)] out DicomUidInfo? info) { info = keyword switch { "ImplicitVRLittleEndian" => new() { Uid = "1.2.840.10008.1.2" }, "ExplicitVRLittleEndian" => new() { Uid = "1.2.840.10008.1.2.1" }, "ExplicitVRBigEndian" => new() { Uid = "1.2.840.10008.1.2.2" }, "DeflatedExplicitVRLittleEndian" => new() { Uid = "1.2.840.10008.1.2.1.99" }, _ => null }; return info != null; }
    }
}
