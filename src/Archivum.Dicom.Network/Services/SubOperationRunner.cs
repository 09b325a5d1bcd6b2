using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>Counts the sub-operations of a C-GET or C-MOVE and decides the final status (PS3.4 C.4.2.1.5, C.4.3.1.4).</summary>
internal sealed class SubOperationRunner(int total)
{
    private readonly List<string> _failed = [];
    private int _completed;
    private int _warning;
    private int _done;

    public SubOperationCounts Counts => new(total - _done, _completed, _failed.Count, _warning);

    public IReadOnlyList<string> FailedSopInstanceUids => _failed;

    public void Record(string sopInstanceUid, DimseStatus status)
    {
        _done++;
        switch (status.Category)
        {
            case DimseStatusCategory.Success:
                _completed++;
                break;
            case DimseStatusCategory.Warning:
                _warning++;
                break;
            default:
                _failed.Add(sopInstanceUid);
                break;
        }
    }

    /// <summary>
    /// The final status: FE00 when cancelled (with the remaining count); 0000 when every
    /// sub-operation succeeded; A702 when all failed; B000 when some failed or warned.
    /// </summary>
    public (DimseStatus Status, SubOperationCounts Counts) Final(bool cancelled)
    {
        var counts = Counts;
        if (cancelled && counts.Remaining > 0)
        {
            return (DimseStatus.Cancel, counts);
        }
        counts = counts with { Remaining = null };
        if (_failed.Count == 0 && _warning == 0)
        {
            return (DimseStatus.Success, counts);
        }
        if (_completed == 0 && _warning == 0)
        {
            return (DimseStatus.OutOfResourcesUnableToPerformSubOperations, counts);
        }
        return (DimseStatus.SubOperationsCompleteWithFailures, counts);
    }
}
