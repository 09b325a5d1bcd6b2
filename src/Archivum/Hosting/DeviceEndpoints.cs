using System.Diagnostics;
using System.Security.Claims;
using Archivum.Archive;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// The device registry over HTTP: <c>GET /api/devices</c>, <c>GET|PUT|DELETE /api/devices/{aeTitle}</c>,
/// and <c>POST /api/devices/{aeTitle}/echo</c> (a C-ECHO from the archive to the device).
/// </summary>
internal static class DeviceEndpoints
{
    /// <summary>The body of PUT: host and port, the rest optional (everything allowed by default).</summary>
    public sealed record DeviceBody(string? Host, int? Port, string? Description, bool? MayStore, bool? MayFind, bool? MayRetrieve, bool? MayReceive, bool? RestrictToHost);

    public static void Map(WebApplication app)
    {
        var devices = app.MapGroup("/api/devices").RequirePrivilege(Privilege.Administer);
        devices.MapGet("/", (ArchiveRuntime archive) => Results.Json(archive.Devices.All));
        devices.MapGet("/{aeTitle}", (ArchiveRuntime archive, string aeTitle) =>
            archive.Devices.Find(aeTitle) is { } device ? Results.Json(device) : NotFound(aeTitle));
        devices.MapPut("/{aeTitle}", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string aeTitle, DeviceBody? body) =>
        {
            if (body is null || body.Host is null || body.Port is null)
            {
                return Results.Problem("give at least {\"host\": ..., \"port\": ...}", statusCode: StatusCodes.Status400BadRequest);
            }
            var device = new ArchiveDevice(aeTitle, body.Host, body.Port.Value)
            {
                Description = body.Description,
                MayStore = body.MayStore ?? true,
                MayFind = body.MayFind ?? true,
                MayRetrieve = body.MayRetrieve ?? true,
                MayReceive = body.MayReceive ?? true,
                RestrictToHost = body.RestrictToHost ?? false,
            };
            if (device.Validate() is { } reason)
            {
                return Results.Problem(reason, statusCode: StatusCodes.Status400BadRequest);
            }
            bool added = archive.Devices.Put(device);
            Changed(http, audit, aeTitle, $"device {aeTitle} {(added ? "registered" : "changed")}: {device.Host}:{device.Port}, store {device.MayStore}, find {device.MayFind}, retrieve {device.MayRetrieve}, receive {device.MayReceive}, bound to its host {device.RestrictToHost}");
            return added ? Results.Created($"/api/devices/{Uri.EscapeDataString(aeTitle)}", device) : Results.Json(device);
        });
        devices.MapDelete("/{aeTitle}", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string aeTitle) =>
        {
            if (!archive.Devices.Delete(aeTitle))
            {
                return NotFound(aeTitle);
            }
            Changed(http, audit, aeTitle, $"device {aeTitle} removed from the registry");
            return Results.NoContent();
        });
        devices.MapPost("/{aeTitle}/echo", async (ArchiveRuntime archive, ServeSettings settings, string aeTitle, CancellationToken cancellationToken) =>
        {
            if (archive.Devices.Find(aeTitle) is not { } device)
            {
                return NotFound(aeTitle);
            }
            var clock = Stopwatch.StartNew();
            try
            {
                var request = new AssociationRequestOptions
                {
                    CallingAETitle = settings.AETitle,
                    CalledAETitle = device.AETitle,
                    PresentationContexts = [new ProposedPresentationContext(AssociationPolicy.VerificationSopClass, AssociationPolicy.UncompressedTransferSyntaxes)],
                };
                var timeouts = new DicomAssociationOptions { ConnectTimeout = TimeSpan.FromSeconds(10), ArtimTimeout = TimeSpan.FromSeconds(10), PduTimeout = TimeSpan.FromSeconds(10) };
                var association = await DicomClient.ConnectAsync(device.Host, device.Port, request, options: timeouts, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (association.ConfigureAwait(false))
                {
                    using var client = new DimseClient(association);
                    var response = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    return response.Status.IsSuccess
                        ? Results.Json(new { success = true, milliseconds = Math.Round(clock.Elapsed.TotalMilliseconds, 1) })
                        : Results.Json(new { success = false, reason = $"C-ECHO answered {response.Status}" });
                }
            }
            catch (DicomNetworkException e)
            {
                return Results.Json(new { success = false, reason = e.Message });
            }
        });
    }

    /// <summary>A change of who may talk to the archive: a Security Alert of type Network Configuration (PS3.15 A.5.3.11).</summary>
    private static void Changed(HttpContext http, AuditWriter audit, string aeTitle, string detail) =>
        audit.Record(http.Record(AuditEvents.SecurityAlert, AuditAction.Update) with
        {
            EventType = AuditEventTypes.NetworkConfiguration,
            Detail = detail,
            Objects = [AuditObject.Resource("dicom:" + aeTitle)],
        });

    private static IResult NotFound(string aeTitle) => Results.Problem($"no device with AE title '{aeTitle}'", statusCode: StatusCodes.Status404NotFound);
}
