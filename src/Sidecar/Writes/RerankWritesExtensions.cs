using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;

namespace Rerank.Sidecar.Writes;

/// <summary>Registers and mounts the write path (docs/write-path.md).</summary>
public static class RerankWritesExtensions
{
    /// <summary>
    /// Registers <see cref="WritePipeline"/> (a singleton, disposed with the container), <see cref="IngestMetrics"/> and
    /// the <see cref="EncodingOptions"/> (defaults when null). The host registers <see cref="IIndexConfigSource"/> and
    /// <see cref="IEncoderSource"/>; <see cref="TimeProvider"/> defaults to the system clock.
    /// </summary>
    public static IServiceCollection AddRerankWrites(this IServiceCollection services, EncodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        (options ?? new EncodingOptions()).Validate();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options ?? new EncodingOptions());
        services.TryAddSingleton<IngestMetrics>();
        // Needs the host's UpstreamClient and SidecarOptions (SidecarHost registers them).
        services.TryAddSingleton<StaleMarker>();
        services.TryAddSingleton(sp => new WritePipeline(
            sp.GetRequiredService<IIndexConfigSource>(),
            sp.GetRequiredService<IEncoderSource>(),
            sp.GetRequiredService<EncodingOptions>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Rewrites write requests of enabled indices; place it before the forwarder.</summary>
    public static IApplicationBuilder UseRerankWrites(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<RerankWritesMiddleware>();
    }
}
