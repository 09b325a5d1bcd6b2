using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// How a C-GET or C-MOVE ended: the final response's status and comment, its sub-operation
/// counts, and the Failed SOP Instance UID List (0008,0058) of its identifier when it sent one.
/// </summary>
public sealed record RetrieveResult(DimseStatus Status, SubOperationCounts Counts, IReadOnlyList<string> FailedSopInstanceUids, string? ErrorComment);
