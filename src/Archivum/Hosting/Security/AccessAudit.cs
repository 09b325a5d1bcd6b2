using System.Collections.Concurrent;
using System.Security.Claims;
using Archivum.Archive;
using Archivum.Archive.Audit;

namespace Archivum.Hosting.Security;

/// <summary>Endpoint metadata: requests to this endpoint are audited as <paramref name="Event"/>.</summary>
internal sealed record AuditedAs(AuditCode Event, AuditAction Action);

/// <summary>
/// Audits every answered request to an endpoint marked <see cref="AuditedAs"/>, with the user, the
/// role, the client's address, the patient and study touched and the outcome (a refusal as a minor
/// failure). Reads by a viewer (metadata, frames, rendered images) of the same study by the same
/// user within a minute make one record, not hundreds: the record says the study was accessed,
/// which is what an auditor asks ("who saw this patient's images, and when").
/// </summary>
internal sealed class AccessAudit(AuditWriter audit, ArchiveRuntime archive)
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string User, string Study, string Event), DateTimeOffset> _recent = new();
    private readonly ConcurrentDictionary<string, string?> _patients = new(StringComparer.Ordinal);

    /// <summary>Between authentication and authorisation, so that refusals (403) are seen; the patient is looked up before the request runs (a deletion removes it).</summary>
    public void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedAs>() is not { } audited)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var values = context.Request.RouteValues;
        string? study = values.TryGetValue("study", out var s) ? s as string : values.TryGetValue("uid", out var u) && context.Request.Path.StartsWithSegments("/api/studies") ? u as string : null;
        study ??= context.Request.Query["studyUID"].ToString() is { Length: > 0 } wado ? wado : null;
        string? patient = study is null ? context.Request.Query["PatientID"].ToString() is { Length: > 0 } id ? id : null : PatientOf(study);
        await next(context).ConfigureAwait(false);
        if (context.Response.StatusCode != StatusCodes.Status401Unauthorized)
        {
            Record(context, audited, study, patient);
        }
    });

    private void Record(HttpContext context, AuditedAs audited, string? study, string? patient)
    {
        string user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "unknown" : "anonymous";
        int status = context.Response.StatusCode;
        var now = DateTimeOffset.UtcNow;
        if (status < 400 && audited.Event == AuditEvents.InstancesAccessed && study is not null)
        {
            var key = (user, study, audited.Event.Code);
            if (_recent.TryGetValue(key, out var last) && now - last < Coalesce)
            {
                return;
            }
            _recent[key] = now;
            if (_recent.Count > 10_000)
            {
                _recent.Clear();
            }
        }
        var objects = new List<AuditObject>();
        if (patient is not null)
        {
            objects.Add(AuditObject.Patient(patient));
        }
        if (study is not null)
        {
            objects.Add(AuditObject.Study(study));
        }
        if (audited.Event == AuditEvents.Query)
        {
            objects.Add(AuditObject.QueryOn(context.Request.Path, context.Request.QueryString.Value ?? ""));
        }
        audit.Record(new AuditRecord(audited.Event, audited.Action, status < 400 ? AuditOutcome.Success : status < 500 ? AuditOutcome.MinorFailure : AuditOutcome.SeriousFailure)
        {
            Time = now,
            User = user,
            Role = context.User.FindFirstValue(ClaimTypes.Role),
            Address = context.Connection.RemoteIpAddress?.ToString(),
            Detail = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} answered {status}",
            Objects = objects,
        });
    }

    private string? PatientOf(string study)
    {
        if (_patients.TryGetValue(study, out string? patient))
        {
            return patient;
        }
        patient = archive.Index.PatientOfStudy(study);
        if (patient is not null)
        {
            if (_patients.Count > 10_000)
            {
                _patients.Clear();
            }
            _patients[study] = patient;
        }
        return patient;
    }
}
