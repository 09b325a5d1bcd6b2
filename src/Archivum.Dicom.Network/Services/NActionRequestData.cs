using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>What an N-ACTION or N-EVENT-REPORT sends: the SOP class and instance, the action or event type, and the information data set if any.</summary>
public sealed record NActionRequestData(string SopClassUid, string SopInstanceUid, ushort TypeId, DicomDataset? Information = null);
