using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.IndexConfig;
using Rerank.Sidecar.Models;

namespace Rerank.Sidecar.Tests.Hosting;

public sealed class SidecarHostTests
{
    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsEveryProblem_BeforeListening()
    {
        var options = new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200"), Urls = [], HealthTimeout = TimeSpan.Zero };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => SidecarHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(2, exception.Failures.Count());
    }

    [Fact]
    public async Task StartAsync_WritePathSeams_AreTheSameSingletonsAsTheirImplementations()
    {
        await using var host = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200"), Urls = ["http://127.0.0.1:0"] },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Same(host.Services.GetRequiredService<SidecarIndexConfigSource>(), host.Services.GetRequiredService<IIndexConfigSource>());
        Assert.Same(host.Services.GetRequiredService<ModelRegistry>(), host.Services.GetRequiredService<IEncoderSource>());
        Assert.Equal("127.0.0.1", Assert.Single(host.Urls).Host);
        Assert.NotEqual(0, host.Urls[0].Port);
    }

    [Fact]
    public async Task StartAsync_ServicesRegisteredFirst_ReplaceTheDefaults()
    {
        var replacement = new FixedEncoderSource();

        await using var host = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200"), Urls = ["http://127.0.0.1:0"] },
            loggerFactory: null, timeProvider: null, meterFactory: null,
            configureServices: services => services.AddSingleton<IEncoderSource>(replacement),
            TestContext.Current.CancellationToken);

        Assert.Same(replacement, host.Services.GetRequiredService<IEncoderSource>());
    }

    private sealed class FixedEncoderSource : IEncoderSource
    {
        public IngestPipeline.Encoding.IPassageEncoder? Find(string modelId) => null;
    }
}
