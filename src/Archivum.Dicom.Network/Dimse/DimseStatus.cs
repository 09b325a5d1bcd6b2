using System.Globalization;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE status (0000,0900) with its category (PS3.7 Annex C) and a readable description from
/// PS3.7 C and the service-specific tables of PS3.4 (storage, query/retrieve, storage commitment).
/// </summary>
public readonly record struct DimseStatus(ushort Code)
{
    /// <summary>The category the code falls in (PS3.7 Annex C).</summary>
    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        0xFE00 => DimseStatusCategory.Cancel,
        0x0001 or 0x0107 or 0x0116 => DimseStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    /// <summary>True when the category is Success.</summary>
    public bool IsSuccess => Category == DimseStatusCategory.Success;
    /// <summary>True when the category is Pending.</summary>
    public bool IsPending => Category == DimseStatusCategory.Pending;
    /// <summary>True when the category is Cancel.</summary>
    public bool IsCancel => Category == DimseStatusCategory.Cancel;
    /// <summary>True when the category is Warning.</summary>
    public bool IsWarning => Category == DimseStatusCategory.Warning;
    /// <summary>True when the category is Failure.</summary>
    public bool IsFailure => Category == DimseStatusCategory.Failure;

    /// <summary>A final status: anything but pending (PS3.7 §9.1.2: pending responses precede the final one).</summary>
    public bool IsFinal => !IsPending;

    /// <summary>What the code means, from the catalogue, or its category when the catalogue does not name it.</summary>
    public string Description => DimseStatusCatalogue.Describe(Code);

    /// <summary>Formats as DCMTK prints statuses, e.g. <c>0xA700 Refused: Out of Resources</c>.</summary>
    public override string ToString() => "0x" + Code.ToString("X4", CultureInfo.InvariantCulture) + " " + Description;

    // PS3.7 C.1 - C.5 (general).
    /// <summary>0x0000: Success.</summary>
    public static DimseStatus Success => new(0x0000);
    /// <summary>0xFF00: Pending.</summary>
    public static DimseStatus Pending => new(0xFF00);
    /// <summary>C-FIND pending: one or more Optional Keys were not supported (PS3.4 C.4.1.1.4).</summary>
    public static DimseStatus PendingOptionalKeysNotSupported => new(0xFF01);
    /// <summary>0xFE00: Cancel: operation terminated by a C-CANCEL.</summary>
    public static DimseStatus Cancel => new(0xFE00);
    /// <summary>0x0001: Warning: requested optional attributes are not supported.</summary>
    public static DimseStatus OptionalAttributesNotSupported => new(0x0001);
    /// <summary>0x0107: Warning: attribute list error.</summary>
    public static DimseStatus AttributeListError => new(0x0107);
    /// <summary>0x0116: Warning: attribute value out of range.</summary>
    public static DimseStatus AttributeValueOutOfRange => new(0x0116);
    /// <summary>0x0105: Failure: no such attribute.</summary>
    public static DimseStatus NoSuchAttribute => new(0x0105);
    /// <summary>0x0106: Failure: invalid attribute value.</summary>
    public static DimseStatus InvalidAttributeValue => new(0x0106);
    /// <summary>0x0110: Failure: processing failure.</summary>
    public static DimseStatus ProcessingFailure => new(0x0110);
    /// <summary>0x0111: Failure: duplicate SOP Instance.</summary>
    public static DimseStatus DuplicateSopInstance => new(0x0111);
    /// <summary>0x0112: Failure: no such SOP Instance.</summary>
    public static DimseStatus NoSuchObjectInstance => new(0x0112);
    /// <summary>0x0113: Failure: no such event type.</summary>
    public static DimseStatus NoSuchEventType => new(0x0113);
    /// <summary>0x0114: Failure: no such argument.</summary>
    public static DimseStatus NoSuchArgument => new(0x0114);
    /// <summary>0x0115: Failure: invalid argument value.</summary>
    public static DimseStatus InvalidArgumentValue => new(0x0115);
    /// <summary>0x0117: Failure: invalid SOP Instance.</summary>
    public static DimseStatus InvalidObjectInstance => new(0x0117);
    /// <summary>0x0118: Failure: no such SOP Class.</summary>
    public static DimseStatus NoSuchSopClass => new(0x0118);
    /// <summary>0x0119: Failure: class-instance conflict.</summary>
    public static DimseStatus ClassInstanceConflict => new(0x0119);
    /// <summary>0x0120: Failure: missing attribute.</summary>
    public static DimseStatus MissingAttribute => new(0x0120);
    /// <summary>0x0121: Failure: missing attribute value.</summary>
    public static DimseStatus MissingAttributeValue => new(0x0121);
    /// <summary>0x0122: Refused: SOP Class not supported.</summary>
    public static DimseStatus SopClassNotSupported => new(0x0122);
    /// <summary>0x0123: Failure: no such action.</summary>
    public static DimseStatus NoSuchActionType => new(0x0123);
    /// <summary>0x0124: Refused: not authorized.</summary>
    public static DimseStatus NotAuthorized => new(0x0124);
    /// <summary>0x0210: Failure: duplicate invocation.</summary>
    public static DimseStatus DuplicateInvocation => new(0x0210);
    /// <summary>0x0211: Failure: unrecognized operation.</summary>
    public static DimseStatus UnrecognizedOperation => new(0x0211);
    /// <summary>0x0212: Failure: mistyped argument.</summary>
    public static DimseStatus MistypedArgument => new(0x0212);
    /// <summary>0x0213: Failure: resource limitation.</summary>
    public static DimseStatus ResourceLimitation => new(0x0213);

    // PS3.4 B.2.3 (storage), C.4.1.1.4, C.4.2.1.5, C.4.3.1.4 (query/retrieve).
    /// <summary>0xA700: Refused: Out of Resources.</summary>
    public static DimseStatus OutOfResources => new(0xA700);
    /// <summary>0xA701: Refused: Out of Resources, unable to calculate number of matches.</summary>
    public static DimseStatus OutOfResourcesUnableToCalculateMatches => new(0xA701);
    /// <summary>0xA702: Refused: Out of Resources, unable to perform sub-operations.</summary>
    public static DimseStatus OutOfResourcesUnableToPerformSubOperations => new(0xA702);
    /// <summary>0xA801: Refused: Move Destination unknown.</summary>
    public static DimseStatus MoveDestinationUnknown => new(0xA801);
    /// <summary>0xA900: Error: Data Set (Identifier) does not match SOP Class.</summary>
    public static DimseStatus DataSetDoesNotMatchSopClass => new(0xA900);
    /// <summary>0xC000: Error: cannot understand (unable to process).</summary>
    public static DimseStatus CannotUnderstand => new(0xC000);
    /// <summary>0xB000: Warning: coercion of data elements, or sub-operations complete with one or more failures or warnings.</summary>
    public static DimseStatus CoercionOfDataElements => new(0xB000);
    /// <summary>C-MOVE/C-GET: sub-operations complete, one or more failures or warnings (PS3.4 C.4.2.1.5); same code as <see cref="CoercionOfDataElements"/>.</summary>
    public static DimseStatus SubOperationsCompleteWithFailures => new(0xB000);
    /// <summary>0xB006: Warning: elements discarded.</summary>
    public static DimseStatus ElementsDiscarded => new(0xB006);
    /// <summary>0xB007: Warning: Data Set does not match SOP Class.</summary>
    public static DimseStatus DataSetDoesNotMatchSopClassWarning => new(0xB007);
}
