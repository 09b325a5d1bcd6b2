namespace Archivum.Dicom.Model;

/// <summary>How much of a DA, TM or DT value was given (PS3.5 §6.2: trailing components may be omitted).</summary>
public enum DicomDateTimePrecision
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Fraction,
}
