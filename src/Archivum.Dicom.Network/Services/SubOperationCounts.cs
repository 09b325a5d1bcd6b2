namespace Archivum.Dicom.Network.Services;

/// <summary>The sub-operation counts of a C-GET or C-MOVE (PS3.7 §9.1.3, §9.1.4): remaining (null when the response did not say), completed, failed, warning.</summary>
public readonly record struct SubOperationCounts(int? Remaining, int Completed, int Failed, int Warning);
