namespace Archivum.Dicom.Network.Services;

/// <summary>A data set (identifier, action information…) longer than the limit set for it.</summary>
internal sealed class DatasetTooLargeException(string message) : Exception(message);
