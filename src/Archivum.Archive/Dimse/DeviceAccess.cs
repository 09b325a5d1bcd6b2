using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>
/// What a calling AE may do: a known device what its registration allows; an unknown AE
/// everything when unknown AEs are accepted (they are refused at association otherwise).
/// </summary>
public sealed class DeviceAccess(DeviceRegistry devices, bool acceptUnknown)
{
    /// <summary>Whether associations from AEs the registry does not know are accepted.</summary>
    public bool AcceptUnknown { get; } = acceptUnknown;

    public bool IsKnown(string callingAETitle) => devices.Find(callingAETitle) is not null;

    public bool MayStore(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayStore : AcceptUnknown;

    public bool MayFind(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayFind : AcceptUnknown;

    public bool MayRetrieve(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayRetrieve : AcceptUnknown;

    /// <summary>Throws the DIMSE refusal (0x0124 not authorised) when <paramref name="allowed"/> is false.</summary>
    public static void Demand(bool allowed, string callingAETitle, string what)
    {
        if (!allowed)
        {
            throw new DimseStatusException(DimseStatus.NotAuthorized, $"AE {callingAETitle} is not allowed to {what} (device registry)");
        }
    }
}
