using System.Text.Json;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archivum.Archive.Dimse;

/// <summary>
/// Storage Commitment Push Model SCP (PS3.4 J): the N-ACTION request is accepted at once; each
/// referenced instance is then checked against the index and its file's SHA-256 read again from
/// disk, and the result goes back as an N-EVENT-REPORT on a new association to the requesting
/// device (PS3.4 J.3.3 allows it; the archive proposes the SCP role). Only then may the modality
/// delete its copy, so only instances whose bytes are verifiably stored are reported committed.
/// </summary>
public sealed partial class StorageCommitmentHandler(ArchiveRuntime archive, string aeTitle, DicomAssociationOptions? reportOptions = null, ILogger? logger = null, DeviceAccess? access = null) : INActionHandler
{
    private const ushort RequestStorageCommitment = 1; // PS3.4 J.3.2: Action Type ID
    private const ushort AllCommitted = 1; // PS3.4 J.3.3: Event Type IDs
    private const ushort SomeFailed = 2;

    /// <summary>Most instances one request may ask about: each is read and hashed from disk again.</summary>
    public const int MaxItems = 100_000;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Reports sent so far and still being prepared (for tests and shutdown).</summary>
    public Task Pending { get; private set; } = Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask<NServiceResult> ActionAsync(NActionRequest request, DicomDataset? actionInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(association);
        try
        {
            // Committing is the sender's side of storing: the device must be allowed to store, and its user (if any) too.
            access?.Demand(association, access.MayStore(association.CallingAETitle), Security.Privilege.Store, "request storage commitment");
        }
        catch (DimseStatusException refused)
        {
            return Result(refused.Status, refused.Message);
        }
        if (request.RequestedSopInstanceUid != DicomUids.StorageCommitmentPushModelInstance)
        {
            return Result(DimseStatus.NoSuchObjectInstance, $"the Storage Commitment Push Model SOP Instance is {DicomUids.StorageCommitmentPushModelInstance}");
        }
        if (request.ActionTypeId != RequestStorageCommitment)
        {
            return Result(DimseStatus.NoSuchActionType, $"action type {request.ActionTypeId} is not Request Storage Commitment (1)");
        }
        string? transaction = actionInformation?.GetString(DicomTags.TransactionUID);
        if (string.IsNullOrEmpty(transaction))
        {
            return Result(DimseStatus.MissingAttribute, "the request has no Transaction UID (0008,1195)");
        }
        var items = actionInformation!.GetSequence(DicomTags.ReferencedSOPSequence)
            .Select(i => (SopClass: i.GetString(DicomTags.ReferencedSOPClassUID) ?? "", SopInstance: i.GetString(DicomTags.ReferencedSOPInstanceUID) ?? ""))
            .ToList();
        if (items.Count == 0)
        {
            return Result(DimseStatus.MissingAttribute, "the request has no Referenced SOP Sequence (0008,1199) items");
        }
        if (items.Count > MaxItems)
        {
            return Result(DimseStatus.ProcessingFailure, $"the request asks about {items.Count} instances; at most {MaxItems} per request");
        }
        if (archive.Devices.Find(association.CallingAETitle) is not { } device)
        {
            // The result goes back on a new association: without the AE's address there is no one to tell.
            return Result(DimseStatus.ProcessingFailure, $"AE {association.CallingAETitle} is not a registered device, so the commitment result could not be sent to it; register it (PUT /api/devices/{association.CallingAETitle})");
        }
        var report = Task.Run(() => ReportAsync(device, transaction, items), CancellationToken.None);
        Pending = Task.WhenAll(Pending, report);
        return ValueTask.FromResult(NServiceResult.Success);
    }

    private static ValueTask<NServiceResult> Result(DimseStatus status, string comment) => ValueTask.FromResult(new NServiceResult(status, null, comment));

    private async Task ReportAsync(ArchiveDevice device, string transaction, List<(string SopClass, string SopInstance)> items)
    {
        try
        {
            var committed = new List<DicomDataset>();
            var failed = new List<DicomDataset>();
            foreach (var (sopClass, sopInstance) in items)
            {
                var item = new DicomDataset();
                item.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClass);
                item.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstance);
                ushort? failure = await VerifyAsync(sopClass, sopInstance).ConfigureAwait(false);
                if (failure is { } reason)
                {
                    item.SetValues(DicomTags.FailureReason, DicomVR.US, reason);
                    failed.Add(item);
                }
                else
                {
                    committed.Add(item);
                }
            }
            var result = new DicomDataset();
            result.SetString(DicomTags.TransactionUID, DicomVR.UI, transaction);
            result.SetString(DicomTags.RetrieveAETitle, DicomVR.AE, aeTitle);
            if (committed.Count > 0)
            {
                result.SetSequence(DicomTags.ReferencedSOPSequence, [.. committed]);
            }
            if (failed.Count > 0)
            {
                result.SetSequence(DicomTags.FailedSOPSequence, [.. failed]);
            }
            var request = new AssociationRequestOptions
            {
                CallingAETitle = aeTitle,
                CalledAETitle = device.AETitle,
                // PS3.4 J.3.3: on a new association the commitment SCP proposes itself in the SCP role.
                PresentationContexts = [new ProposedPresentationContext(DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes, ScuRole: false, ScpRole: true)],
            };
            var association = await DicomClient.ConnectAsync(device.Host, device.Port, request, options: reportOptions).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                using var client = new DimseClient(association);
                var (response, _) = await client.EventReportAsync(new NRequestData(DicomUids.StorageCommitmentPushModel, DicomUids.StorageCommitmentPushModelInstance,
                    failed.Count == 0 ? AllCommitted : SomeFailed, result)).ConfigureAwait(false);
                await association.ReleaseAsync().ConfigureAwait(false);
                await archive.Index.Writer.AddEventAsync("storage-commitment", null, null, JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["transactionUid"] = transaction, ["device"] = device.AETitle, ["committed"] = committed.Count, ["failed"] = failed.Count,
                    ["reportStatus"] = response.Status.ToString(),
                })).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DicomNetworkException or IOException)
        {
            LogReportFailed(_logger, transaction, device.AETitle, e.Message);
            await archive.Index.Writer.AddEventAsync("storage-commitment-unreported", null, null, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["transactionUid"] = transaction, ["device"] = device.AETitle, ["reason"] = e.Message,
            })).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the instance is stored and its bytes verify; otherwise the PS3.4 J.3.3 Failure Reason.</summary>
    private async Task<ushort?> VerifyAsync(string sopClass, string sopInstance)
    {
        if (archive.Index.FindInstance(sopInstance) is not { } stored)
        {
            return 0x0112; // no such object instance
        }
        if (stored.SopClassUid != sopClass)
        {
            return 0x0119; // class / instance conflict
        }
        try
        {
            var hash = await archive.Store.HashAsync(stored.RelativePath).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash.Span) == stored.Sha256 ? null : (ushort)0x0110; // processing failure: the bytes changed
        }
        catch (IOException)
        {
            return 0x0110;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage commitment {TransactionUid}: the result could not be sent to {AETitle}: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string transactionUid, string aeTitle, string reason);
}
