using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>What a <see cref="DimseClient"/> N-ACTION or N-EVENT-REPORT sends: the SOP class and instance, the action or event type ID, and the action or event information data set if any.</summary>
public sealed record NRequestData(string SopClassUid, string SopInstanceUid, ushort TypeId, DicomDataset? Information = null);
