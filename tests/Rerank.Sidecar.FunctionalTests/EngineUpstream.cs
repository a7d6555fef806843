using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary>The embedded engine on 127.0.0.1 (free port) over a fresh data directory, as `rerank serve` runs it.</summary>
internal sealed class EngineUpstream : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly EngineHost _engine;

    private EngineUpstream(TempDirectory data, EngineHost engine)
    {
        _data = data;
        _engine = engine;
        Client = new HttpClient { BaseAddress = Url };
    }

    public Uri Url => _engine.Urls[0];

    /// <summary>Talks to the engine directly, bypassing the sidecar.</summary>
    public HttpClient Client { get; }

    public static async Task<EngineUpstream> StartAsync(CancellationToken cancellationToken)
    {
        var data = new TempDirectory();
        var engine = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = data.Path, Urls = ["http://127.0.0.1:0"] }, cancellationToken: cancellationToken);
        return new EngineUpstream(data, engine);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _engine.DisposeAsync();
        _data.Dispose();
    }
}
