using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Archivum.Hosting;

/// <summary>
/// What every HTTP answer shares: JSON compressed when the client accepts it (DICOM JSON
/// metadata shrinks about tenfold; images and DICOM files are left alone, they are compressed or
/// incompressible already), and CORS for the origins the administrator lists (external viewers
/// served from another host), with the headers DICOMweb clients read exposed.
/// </summary>
internal static class HttpBehaviour
{
    private const string CorsPolicy = "configured-origins";

    public static void AddServices(IServiceCollection services, ServeSettings settings)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = false; // BREACH: no compression of secrets-bearing HTTPS answers by default
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["application/dicom+json", "application/json", "application/problem+json", "text/javascript", "text/html", "text/css"];
        });
        // Fastest: a metadata answer is written as it is read from the files; a slow compressor would be the bottleneck.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        if (settings.CorsOrigins.Length > 0)
        {
            services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(settings.CorsOrigins)
                .AllowAnyHeader()
                .WithMethods("GET", "POST", "PUT", "DELETE", "OPTIONS")
                .WithExposedHeaders("Warning", "Content-Length", "Content-Type", "ETag", "Location")));
        }
    }

    public static void Use(WebApplication app, ServeSettings settings)
    {
        app.UseResponseCompression();
        if (settings.CorsOrigins.Length > 0)
        {
            app.UseCors(CorsPolicy);
        }
    }
}
