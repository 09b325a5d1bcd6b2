using System.Collections.Frozen;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>Readable descriptions of status codes: PS3.7 Annex C and the service tables of PS3.4.</summary>
internal static class DimseStatusCatalogue
{
    private static readonly FrozenDictionary<ushort, string> Names = new Dictionary<ushort, string>
    {
        [0x0000] = "Success",
        [0xFF00] = "Pending",
        [0xFF01] = "Pending: one or more Optional Keys were not supported",
        [0xFE00] = "Cancel: operation terminated by a C-CANCEL",
        [0x0001] = "Warning: requested optional attributes are not supported",
        [0x0107] = "Warning: attribute list error",
        [0x0116] = "Warning: attribute value out of range",
        [0x0105] = "Failure: no such attribute",
        [0x0106] = "Failure: invalid attribute value",
        [0x0110] = "Failure: processing failure",
        [0x0111] = "Failure: duplicate SOP Instance",
        [0x0112] = "Failure: no such SOP Instance",
        [0x0113] = "Failure: no such event type",
        [0x0114] = "Failure: no such argument",
        [0x0115] = "Failure: invalid argument value",
        [0x0117] = "Failure: invalid SOP Instance",
        [0x0118] = "Failure: no such SOP Class",
        [0x0119] = "Failure: class-instance conflict",
        [0x0120] = "Failure: missing attribute",
        [0x0121] = "Failure: missing attribute value",
        [0x0122] = "Refused: SOP Class not supported",
        [0x0123] = "Failure: no such action",
        [0x0124] = "Refused: not authorized",
        [0x0210] = "Failure: duplicate invocation",
        [0x0211] = "Failure: unrecognized operation",
        [0x0212] = "Failure: mistyped argument",
        [0x0213] = "Failure: resource limitation",
        [0xA700] = "Refused: Out of Resources",
        [0xA701] = "Refused: Out of Resources, unable to calculate number of matches",
        [0xA702] = "Refused: Out of Resources, unable to perform sub-operations",
        [0xA801] = "Refused: Move Destination unknown",
        [0xA900] = "Error: Data Set (Identifier) does not match SOP Class",
        [0xAA00] = "Failure: none of the frames requested were found in the SOP Instance",
        [0xB000] = "Warning: coercion of data elements, or sub-operations complete with one or more failures or warnings",
        [0xB006] = "Warning: elements discarded",
        [0xB007] = "Warning: Data Set does not match SOP Class",
        [0xC000] = "Error: cannot understand (unable to process)",
    }.ToFrozenDictionary();

    public static string Describe(ushort code) => Names.TryGetValue(code, out var name) ? name : code switch
    {
        >= 0xC000 and <= 0xCFFF => "Error: cannot understand (unable to process)",
        >= 0xA700 and <= 0xA7FF => "Refused: Out of Resources",
        >= 0xA900 and <= 0xA9FF => "Error: Data Set (Identifier) does not match SOP Class",
        >= 0xB000 and <= 0xBFFF => "Warning",
        _ => new DimseStatus(code).Category.ToString(),
    };
}
