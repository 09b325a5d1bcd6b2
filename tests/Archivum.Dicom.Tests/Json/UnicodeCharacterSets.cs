using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Json;

/// <summary>
/// Whether this build's character sets encode ISO_IR 192 as UTF-8. While the character set branch is
/// not merged, a Latin-1 stand-in replaces them (src/Archivum.Dicom/_shim) and text beyond Latin-1
/// cannot survive DICOM encoding; the tests that need it check this and use Latin-1 text meanwhile.
/// Once the real character sets are in, this is always true: remove it and the fallbacks.
/// </summary>
internal static class UnicodeCharacterSets
{
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        var utf8 = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192");
        const string text = "山田^太郎";
        return utf8.Decode(utf8.Encode(text, DicomVR.PN), DicomVR.PN) == text;
    }
}
