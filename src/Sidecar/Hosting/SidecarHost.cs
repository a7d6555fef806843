using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Admin;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.IndexConfig;
using Rerank.Sidecar.Models;
using Rerank.Sidecar.Search;
using Rerank.Sidecar.Writes;

namespace Rerank.Sidecar.Hosting;

/// <summary>
/// The sidecar on Kestrel: intercepts its own routes (<c>/_rerank/health</c>, <c>/_rerank/metrics</c>), checks
/// <c>_meta.rerank</c> in mapping changes, and forwards everything else to <see cref="SidecarOptions.Upstream"/>
/// unchanged (docs/sidecar.md). Used by <c>rerank serve</c> and by tests (port 0).
/// </summary>
/// <remarks>
/// The host owns its services: disposing it stops Kestrel, then unloads the models and closes the upstream pool.
/// It knows only the upstream's URL; the CLI starts the embedded engine when there is no cluster.
/// </remarks>
public sealed class SidecarHost : IAsyncDisposable
{
    /// <summary>Prometheus text exposition of the <c>Rerank.Sidecar</c> meter.</summary>
    internal const string MetricsPath = "/_rerank/metrics";

    private readonly WebApplication _app;

    private SidecarHost(WebApplication app, IReadOnlyList<Uri> urls, Uri upstream)
    {
        _app = app;
        Urls = urls;
        Upstream = upstream;
    }

    /// <summary>The addresses Kestrel listens on (with the actual port when port 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>Where requests are forwarded.</summary>
    public Uri Upstream { get; }

    /// <summary>The host's services (tests reach the registry, the config cache and the meter factory through it).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Checks the options, loads the models and starts listening.</summary>
    /// <param name="options">Upstream, URLs, models directory and timeouts.</param>
    /// <param name="loggerFactory">Where the host logs; null logs nothing.</param>
    /// <param name="timeProvider">The clock for the config cache, model polling and durations; null is the system clock.</param>
    /// <param name="meterFactory">Where the instruments live (meter <c>Rerank.Sidecar</c>); null uses the host's own.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; thrown before anything starts, with every problem.</exception>
    /// <exception cref="IOException">The address is taken.</exception>
    public static Task<SidecarHost> StartAsync(
        SidecarOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, loggerFactory, timeProvider, meterFactory, configureServices: null, cancellationToken);

    /// <summary>As the public overload; <paramref name="configureServices"/> runs first, so what it registers replaces the defaults (TryAdd).</summary>
    internal static async Task<SidecarHost> StartAsync(
        SidecarOptions options,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        IMeterFactory? meterFactory,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        SidecarOptionsValidator.ThrowIfInvalid(options);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        var services = builder.Services;
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        if (meterFactory is not null)
        {
            services.AddSingleton(meterFactory);
        }

        configureServices?.Invoke(services);
        services.AddMetrics();
        AddSidecarServices(services, options, timeProvider ?? TimeProvider.System);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The upstream's Server header passes through; Kestrel must not add a second one.
            kestrel.AddServerHeader = false;
            // The cluster enforces its own http.max_content_length; the sidecar streams whatever it is sent.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        var app = builder.Build();
        try
        {
            Configure(app);
            await app.Services.GetRequiredService<ModelRegistry>().StartAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            return new SidecarHost(app, [.. addresses.Select(a => new Uri(a))], options.Upstream);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void AddSidecarServices(IServiceCollection services, SidecarOptions options, TimeProvider time)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(time);
        services.TryAddSingleton<SidecarMetrics>();
        services.TryAddSingleton<UpstreamClient>();
        services.AddHttpForwarder();
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<HealthEndpoint>();
        services.TryAddSingleton<AdminEndpoints>();

        // The write path (src/Sidecar/Writes) resolves these two interfaces; each is the same singleton as its class.
        services.TryAddSingleton<SidecarIndexConfigSource>();
        services.TryAddSingleton<IIndexConfigSource>(sp => sp.GetRequiredService<SidecarIndexConfigSource>());
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<IEncoderSource>(sp => sp.GetRequiredService<ModelRegistry>());

        // The write path: one batching encoder per model, shared by every write (docs/write-path.md).
        services.AddRerankWrites(options.Encoding);

        // The search path (src/Sidecar/Search): IQueryScorer is the seam tests replace.
        services.TryAddSingleton(options.Search);
        services.TryAddSingleton<ModelCallSlots>();
        services.TryAddSingleton<IQueryScorer, RegistryQueryScorer>();
        services.TryAddSingleton<ModelBreaker>();
        services.TryAddSingleton<SearchUpstream>();
        services.TryAddSingleton<RerankSearch>();

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SidecarMetrics.MeterName)
            .AddMeter(IngestMetrics.MeterName)
            .AddPrometheusExporter(prometheus =>
            {
                prometheus.ScrapeEndpointPath = MetricsPath;
                // Every scrape sees the counts of that moment (the exporter caches 300 ms by default).
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
    }

    private static void Configure(WebApplication app)
    {
        var health = app.Services.GetRequiredService<HealthEndpoint>();
        var forwarder = app.Services.GetRequiredService<UpstreamForwarder>();

        // 1. The sidecar's own routes.
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (path.Equals(HealthEndpoint.Path, StringComparison.Ordinal))
            {
                return OwnRouteAsync(context, health.InvokeAsync);
            }

            return path.Equals(MetricsPath, StringComparison.Ordinal) ? OwnRouteAsync(context, next) : next(context);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path.Equals(MetricsPath, StringComparison.Ordinal) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)));

        // Admin endpoints (key-protected); nothing under /_rerank/_admin is ever forwarded.
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        app.Use((context, next) => AdminEndpoints.Matches(context.Request.Path) ? admin.InvokeAsync(context) : next(context));

        // 2. Mapping changes: _meta.rerank checked at the door; the config cache emptied around anything that can change it.
        app.UseMiddleware<MetaValidationMiddleware>();
        app.UseMiddleware<ConfigInvalidationMiddleware>();

        // 3. Searches of enabled indices are reranked (docs/search.md); others pass on (ext.rerank removed).
        app.UseMiddleware<SearchMiddleware>();

        // 4. Writes to enabled indices get their passage vectors (_bulk, _doc, _create, _update); others pass on untouched.
        app.UseRerankWrites();

        // 5. Everything else goes upstream unchanged.
        app.Run(forwarder.InvokeAsync);
    }

    private static Task OwnRouteAsync(HttpContext context, RequestDelegate handler)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // Elasticsearch's answer to a known path with the wrong method.
            return ElasticsearchError.WriteMethodNotAllowedAsync(context, "GET", context.RequestAborted);
        }

        return handler(context);
    }

    /// <summary>Completes when the host stops (<see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
