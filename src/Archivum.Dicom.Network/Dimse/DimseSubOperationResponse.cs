using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>A C-GET or C-MOVE response with the Number of Remaining/Completed/Failed/Warning Sub-operations (0000,1020-1023).</summary>
public abstract class DimseSubOperationResponse : DimseResponse
{
    private protected DimseSubOperationResponse() { }

    [SetsRequiredMembers]
    private protected DimseSubOperationResponse(CommandSet set) : base(set)
    {
        Remaining = set.OptionalUInt16(DicomTags.NumberOfRemainingSuboperations);
        Completed = set.OptionalUInt16(DicomTags.NumberOfCompletedSuboperations);
        Failed = set.OptionalUInt16(DicomTags.NumberOfFailedSuboperations);
        Warning = set.OptionalUInt16(DicomTags.NumberOfWarningSuboperations);
    }

    /// <summary>Number of Remaining Sub-operations (0000,1020): required on pending responses, absent on final ones unless cancelled.</summary>
    public ushort? Remaining { get; init; }

    /// <summary>Number of Completed Sub-operations (0000,1021).</summary>
    public ushort? Completed { get; init; }

    /// <summary>Number of Failed Sub-operations (0000,1022).</summary>
    public ushort? Failed { get; init; }

    /// <summary>Number of Warning Sub-operations (0000,1023).</summary>
    public ushort? Warning { get; init; }

    private protected override void WriteResponseFields(CommandSetWriter writer)
    {
        writer.OptionalUInt16(DicomTags.NumberOfRemainingSuboperations, Remaining);
        writer.OptionalUInt16(DicomTags.NumberOfCompletedSuboperations, Completed);
        writer.OptionalUInt16(DicomTags.NumberOfFailedSuboperations, Failed);
        writer.OptionalUInt16(DicomTags.NumberOfWarningSuboperations, Warning);
    }
}
