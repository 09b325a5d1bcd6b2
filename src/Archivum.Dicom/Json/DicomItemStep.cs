using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>One step down into a data set: item <paramref name="Index"/> (from 0) of sequence <paramref name="Sequence"/>.</summary>
public readonly record struct DicomItemStep(DicomTag Sequence, int Index);
