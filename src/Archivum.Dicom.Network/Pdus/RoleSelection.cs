namespace Archivum.Dicom.Network.Pdus;

/// <summary>SCP/SCU role selection sub-item (PS3.7 D.3.3.4): the roles proposed (RQ) or accepted (AC) for one SOP class.</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
