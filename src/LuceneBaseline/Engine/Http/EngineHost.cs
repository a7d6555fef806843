using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Microsoft.Extensions.Options;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// The embedded engine on Kestrel: an Elasticsearch-compatible REST subset over the indices of one data directory.
/// Used by <c>rerank engine</c>, by <c>rerank serve</c> (in-process, behind the sidecar) and by tests (port 0).
/// </summary>
/// <remarks>
/// The host owns its <see cref="IndexCatalog"/>: disposing the host stops Kestrel, then commits and closes every
/// index. Requests are served concurrently; every write is durable before it is acknowledged.
/// </remarks>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly PointInTimeRegistry _pointsInTime;

    private EngineHost(WebApplication app, IndexCatalog catalog, PointInTimeRegistry pointsInTime, IReadOnlyList<Uri> urls)
    {
        _app = app;
        _pointsInTime = pointsInTime;
        Catalog = catalog;
        Urls = urls;
    }

    /// <summary>The addresses Kestrel listens on (with the actual port when port 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The indices this host serves (tests and benchmarks reach the store through it).</summary>
    internal IndexCatalog Catalog { get; }

    /// <summary>The names of the indices this host serves now; a snapshot.</summary>
    public IReadOnlyList<string> IndexNames => [.. Catalog.Indices.Select(index => index.Name)];

    /// <summary>Checks the options, opens the data directory and starts listening.</summary>
    /// <param name="options">Data directory, URLs and limits.</param>
    /// <param name="loggerFactory">Where the host logs; null logs nothing.</param>
    /// <param name="timeProvider">The clock for refresh intervals, <c>took</c>, search timeouts and durations; null is the system clock.</param>
    /// <param name="meterFactory">
    /// Where the engine's instruments live (meter <c>Rerank.LuceneBaseline.Engine</c>); null uses the host's own
    /// (<c>AddMetrics()</c>), which a listener such as OpenTelemetry's can still observe by meter name.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="OptionsValidationException">
    /// The options are invalid; thrown before anything starts, with every problem in <see cref="OptionsValidationException.Failures"/>.
    /// </exception>
    /// <exception cref="IOException">The data directory cannot be created, is not writable or is in use; the address is taken.</exception>
    /// <exception cref="InvalidDataException">An index's <c>meta.json</c> cannot be read (the message names the file).</exception>
    public static async Task<EngineHost> StartAsync(
        EngineHostOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        EngineHostOptionsValidator.ThrowIfInvalid(options);
        var time = timeProvider ?? TimeProvider.System;

        // The empty builder reads no appsettings.json or environment configuration from wherever the host process
        // happens to run: an embedded engine takes its settings from the options alone.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        if (meterFactory is not null)
        {
            builder.Services.AddSingleton(meterFactory);
        }

        // Registers a meter factory only when none is there (TryAdd).
        builder.Services.AddMetrics();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxContentLength;
        });
        builder.Services.AddRequestDecompression();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        var app = builder.Build();
        IndexCatalog? catalog = null;
        PointInTimeRegistry? pointsInTime = null;
        try
        {
            var logging = app.Services.GetRequiredService<ILoggerFactory>();
            var metrics = new EngineMetrics(app.Services.GetRequiredService<IMeterFactory>());
            catalog = new IndexCatalog(options.DataDirectory, options.Engine, time, new StoreDiagnostics(logging, metrics));
            pointsInTime = new PointInTimeRegistry(time);
            var handler = new EngineRequestHandler(catalog, options, time, logging.CreateLogger<EngineHost>(), pointsInTime, metrics);
            app.UseRequestDecompression();
            app.Run(handler.InvokeAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            return new EngineHost(app, catalog, pointsInTime, [.. addresses.Select(a => new Uri(a))]);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            pointsInTime?.Dispose();
            catalog?.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _pointsInTime.Dispose();
        Catalog.Dispose();
    }
}
