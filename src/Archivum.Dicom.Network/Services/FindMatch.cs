using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// One C-FIND match: the identifier to send in a pending response, and whether some optional
/// keys of the request were not supported, which makes its status 0xFF01 instead of 0xFF00 (PS3.4 C.4.1.1.4).
/// </summary>
public sealed record FindMatch(DicomDataset Identifier, bool OptionalKeysNotSupported = false);
