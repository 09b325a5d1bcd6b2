using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;
using Archivum.Tests.Cli;

namespace Archivum.Tests.Hosting;

/// <summary>
/// Storage commitment (PS3.4 J) as a modality uses it: it stores, asks the archive to commit a
/// stored instance and one it never sent, and waits on its own listener for the N-EVENT-REPORT.
/// </summary>
public sealed class StorageCommitmentTests : IDisposable
{
    private const string CtInstance = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-commit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class ReportCatcher : INEventReportHandler
    {
        public TaskCompletionSource<(NEventReportRequest Request, DicomDataset? Report)> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<NServiceResult> EventReportAsync(NEventReportRequest request, DicomDataset? eventInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
        {
            Received.TrySetResult((request, eventInformation));
            return ValueTask.FromResult(NServiceResult.Success);
        }
    }

    [Fact]
    public async Task A_request_that_cannot_be_honoured_is_refused_with_the_reason()
    {
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        using (var put = await serve.Http.PutAsJsonAsync("api/devices/MODALITY", new { host = "127.0.0.1", port = 104 }))
        {
            put.EnsureSuccessStatusCode();
        }
        var item = new DicomDataset();
        item.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        item.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, CtInstance);
        var noTransaction = new DicomDataset();
        noTransaction.SetSequence(DicomTags.ReferencedSOPSequence, item);
        var complete = new DicomDataset();
        complete.SetString(DicomTags.TransactionUID, DicomVR.UI, DicomUid.Generate());
        complete.SetSequence(DicomTags.ReferencedSOPSequence, item.Clone());

        async Task<NActionResponse> ActAsync(string callingAE, ushort actionType, DicomDataset information)
        {
            var request = new AssociationRequestOptions
            {
                CallingAETitle = callingAE,
                CalledAETitle = "ARCHIVUM",
                PresentationContexts = [new ProposedPresentationContext(DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes)],
            };
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", serve.DicomPort, request);
            using var client = new DimseClient(association);
            var (response, _) = await client.ActionAsync(new NRequestData(DicomUids.StorageCommitmentPushModel, DicomUids.StorageCommitmentPushModelInstance, actionType, information));
            await association.ReleaseAsync();
            return response;
        }

        var missing = await ActAsync("MODALITY", 1, noTransaction);
        Assert.Equal(DimseStatus.MissingAttribute, missing.Status);
        Assert.Contains("Transaction UID", missing.ErrorComment, StringComparison.Ordinal);
        Assert.Equal(DimseStatus.NoSuchActionType, (await ActAsync("MODALITY", 7, complete)).Status);
        var stranger = await ActAsync("STRANGER", 1, complete);
        Assert.Equal(DimseStatus.ProcessingFailure, stranger.Status); // no address to send the result to
        Assert.Contains("not a registered device", stranger.ErrorComment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_reports_which_instances_it_holds_and_which_it_does_not()
    {
        CliRunner.RequireDcmtk();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        Assert.Equal(0, CliRunner.Run("storescu", "-aet", "MODALITY", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);

        // The modality's own listener, where the result comes back on a new association (SCU role: the archive proposes SCP).
        var catcher = new ReportCatcher();
        var policy = new AssociationPolicy().Accept(DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes);
        policy.AETitles.Add("MODALITY");
        policy.AllowRequestorAsScp(DicomUids.StorageCommitmentPushModel);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { NEventReport = catcher });
        await using var listener = new DicomServer(new DicomServerOptions { Address = IPAddress.Loopback, Port = 0 }, policy, dispatcher.RunAsync);
        listener.Start();
        using (var put = await serve.Http.PutAsJsonAsync("api/devices/MODALITY", new { host = "127.0.0.1", port = listener.Port }))
        {
            put.EnsureSuccessStatusCode();
        }

        var request = new AssociationRequestOptions
        {
            CallingAETitle = "MODALITY",
            CalledAETitle = "ARCHIVUM",
            PresentationContexts = [new ProposedPresentationContext(DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes)],
        };
        string transaction = DicomUid.Generate();
        var action = new DicomDataset();
        action.SetString(DicomTags.TransactionUID, DicomVR.UI, transaction);
        var stored = new DicomDataset();
        stored.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        stored.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, CtInstance);
        var missing = new DicomDataset();
        missing.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        missing.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3.4.5.6.7");
        action.SetSequence(DicomTags.ReferencedSOPSequence, stored, missing);
        await using (var association = await DicomClient.ConnectAsync("127.0.0.1", serve.DicomPort, request))
        {
            using var client = new DimseClient(association);
            var (response, _) = await client.ActionAsync(new NRequestData(DicomUids.StorageCommitmentPushModel, DicomUids.StorageCommitmentPushModelInstance, 1, action));
            Assert.True(response.Status.IsSuccess, response.ToString());
            await association.ReleaseAsync();
        }

        var completed = await Task.WhenAny(catcher.Received.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(completed == catcher.Received.Task, "no N-EVENT-REPORT within 30 s: " + serve.Output);
        var (report, result) = await catcher.Received.Task;
        Assert.Equal(2, report.EventTypeId); // some failed
        Assert.NotNull(result);
        Assert.Equal(transaction, result.GetString(DicomTags.TransactionUID));
        Assert.Equal(CtInstance, Assert.Single(result.GetSequence(DicomTags.ReferencedSOPSequence)).GetString(DicomTags.ReferencedSOPInstanceUID));
        var failed = Assert.Single(result.GetSequence(DicomTags.FailedSOPSequence));
        Assert.Equal("1.2.3.4.5.6.7", failed.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(0x0112, failed.GetValue<int>(DicomTags.FailureReason)); // no such object instance
    }
}
