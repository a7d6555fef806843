using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
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

    /// <summary>Opens the data directory and starts listening.</summary>
    /// <param name="options">Data directory, URLs and limits.</param>
    /// <param name="loggerFactory">Where the host logs; null logs nothing.</param>
    /// <param name="timeProvider">The clock for refresh intervals and <c>took</c>; null is the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EngineHost> StartAsync(
        EngineHostOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(options.DataDirectory);
        var catalog = new IndexCatalog(options.DataDirectory, options.Engine, time);
        var pointsInTime = new PointInTimeRegistry(time);
        try
        {
            // The empty builder reads no appsettings.json or environment configuration from wherever the host
            // process happens to run: an embedded engine takes its settings from the options alone.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseKestrelCore();
            if (loggerFactory is not null)
            {
                builder.Services.AddSingleton(loggerFactory);
            }

            builder.WebHost.UseUrls([.. options.Urls]);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = options.MaxContentLength;
            });
            builder.Services.AddRequestDecompression();
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

            var app = builder.Build();
            var logger = (loggerFactory ?? app.Services.GetRequiredService<ILoggerFactory>()).CreateLogger<EngineHost>();
            var handler = new EngineRequestHandler(catalog, options, time, logger, pointsInTime);
            app.UseRequestDecompression();
            app.Run(handler.InvokeAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            return new EngineHost(app, catalog, pointsInTime, [.. addresses.Select(a => new Uri(a))]);
        }
        catch
        {
            pointsInTime.Dispose();
            catalog.Dispose();
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
