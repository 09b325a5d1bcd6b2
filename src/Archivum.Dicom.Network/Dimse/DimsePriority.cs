namespace Archivum.Dicom.Network.Dimse;

/// <summary>Priority (0000,0700) of a C-STORE, C-FIND, C-GET or C-MOVE request (PS3.7 E.1-1).</summary>
public enum DimsePriority : ushort
{
    Medium = 0x0000,
    High = 0x0001,
    Low = 0x0002,
}
