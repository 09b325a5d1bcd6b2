namespace Archivum.Dicom.Network.Dimse;

/// <summary>The class of a DIMSE status code (PS3.7 Annex C).</summary>
public enum DimseStatusCategory
{
    Success,
    Pending,
    Cancel,
    Warning,
    Failure,
}
