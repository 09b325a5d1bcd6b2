using Archivum.Archive;

namespace Archivum.Hosting;

/// <summary><c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (index and store reachable, disk above its floor).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n")).AllowAnonymous();
        app.MapGet("/readyz", (ArchiveRuntime archive) => archive.NotReadyReason() is { } reason
            ? Results.Json(new { status = "not ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { status = "ready" })).AllowAnonymous();
    }
}
