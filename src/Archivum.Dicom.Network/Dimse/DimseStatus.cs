using System.Globalization;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE status (0000,0900) with its category (PS3.7 Annex C) and a readable description from
/// PS3.7 C and the service-specific tables of PS3.4 (storage, query/retrieve, storage commitment).
/// </summary>
public readonly record struct DimseStatus(ushort Code)
{
    /// <summary>The category the code falls in (PS3.7 C.1-C.5).</summary>
    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        0xFE00 => DimseStatusCategory.Cancel,
        0x0001 or 0x0107 or 0x0116 => DimseStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DimseStatusCategory.Success;
    public bool IsPending => Category == DimseStatusCategory.Pending;
    public bool IsCancel => Category == DimseStatusCategory.Cancel;
    public bool IsWarning => Category == DimseStatusCategory.Warning;
    public bool IsFailure => Category == DimseStatusCategory.Failure;

    /// <summary>A final status: anything but pending (PS3.7 §9.1.2.1.5: pending responses precede the final one).</summary>
    public bool IsFinal => !IsPending;

    /// <summary>What the code means, from the catalogue, or its category when the catalogue does not name it.</summary>
    public string Description => DimseStatusCatalogue.Describe(Code);

    /// <summary>Formats as DCMTK prints statuses, e.g. <c>0xA700 Refused: Out of Resources</c>.</summary>
    public override string ToString() => "0x" + Code.ToString("X4", CultureInfo.InvariantCulture) + " " + Description;

    // PS3.7 C.1 - C.5 (general).
    public static DimseStatus Success => new(0x0000);
    public static DimseStatus Pending => new(0xFF00);
    /// <summary>C-FIND pending: one or more Optional Keys were not supported (PS3.4 C.4.1.1.4).</summary>
    public static DimseStatus PendingOptionalKeysNotSupported => new(0xFF01);
    public static DimseStatus Cancel => new(0xFE00);
    public static DimseStatus OptionalAttributesNotSupported => new(0x0001);
    public static DimseStatus AttributeListError => new(0x0107);
    public static DimseStatus AttributeValueOutOfRange => new(0x0116);
    public static DimseStatus NoSuchAttribute => new(0x0105);
    public static DimseStatus InvalidAttributeValue => new(0x0106);
    public static DimseStatus ProcessingFailure => new(0x0110);
    public static DimseStatus DuplicateSopInstance => new(0x0111);
    public static DimseStatus NoSuchObjectInstance => new(0x0112);
    public static DimseStatus NoSuchEventType => new(0x0113);
    public static DimseStatus NoSuchArgument => new(0x0114);
    public static DimseStatus InvalidArgumentValue => new(0x0115);
    public static DimseStatus InvalidObjectInstance => new(0x0117);
    public static DimseStatus NoSuchSopClass => new(0x0118);
    public static DimseStatus ClassInstanceConflict => new(0x0119);
    public static DimseStatus MissingAttribute => new(0x0120);
    public static DimseStatus MissingAttributeValue => new(0x0121);
    public static DimseStatus SopClassNotSupported => new(0x0122);
    public static DimseStatus NoSuchActionType => new(0x0123);
    public static DimseStatus NotAuthorized => new(0x0124);
    public static DimseStatus DuplicateInvocation => new(0x0210);
    public static DimseStatus UnrecognizedOperation => new(0x0211);
    public static DimseStatus MistypedArgument => new(0x0212);
    public static DimseStatus ResourceLimitation => new(0x0213);

    // PS3.4 B.2.3 (storage), C.4.1.1.4, C.4.2.1.5, C.4.3.1.4 (query/retrieve).
    public static DimseStatus OutOfResources => new(0xA700);
    public static DimseStatus OutOfResourcesUnableToCalculateMatches => new(0xA701);
    public static DimseStatus OutOfResourcesUnableToPerformSubOperations => new(0xA702);
    public static DimseStatus MoveDestinationUnknown => new(0xA801);
    public static DimseStatus DataSetDoesNotMatchSopClass => new(0xA900);
    public static DimseStatus CannotUnderstand => new(0xC000);
    public static DimseStatus CoercionOfDataElements => new(0xB000);
    /// <summary>C-MOVE/C-GET: sub-operations complete, one or more failures or warnings (PS3.4 C.4.2.1.5); same code as <see cref="CoercionOfDataElements"/>.</summary>
    public static DimseStatus SubOperationsCompleteWithFailures => new(0xB000);
    public static DimseStatus ElementsDiscarded => new(0xB006);
    public static DimseStatus DataSetDoesNotMatchSopClassWarning => new(0xB007);
}
