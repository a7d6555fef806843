using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Rerank.Sidecar.FunctionalTests.RealCluster;

/// <summary>
/// One Elasticsearch 9 node in a container (Testcontainers' generic builder), security off, shared by a test class;
/// nothing is started where <see cref="DockerEngine"/> finds no engine (<see cref="SkipReason"/>).
/// </summary>
/// <remarks>The image is <c>RERANK_TEST_ES_IMAGE</c> when set, else <see cref="DefaultImage"/>.</remarks>
public sealed class ElasticsearchContainer : IAsyncLifetime
{
    public const string DefaultImage = "docker.elastic.co/elasticsearch/elasticsearch:9.1.0";

    private IContainer? _container;

    /// <summary>Why the tests are skipped; null when the container runs.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The node's REST address on this machine.</summary>
    public Uri Url { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        SkipReason = await DockerEngine.UnavailableReasonAsync();
        if (SkipReason is not null)
        {
            return;
        }

        var image = Environment.GetEnvironmentVariable("RERANK_TEST_ES_IMAGE") is { Length: > 0 } given ? given : DefaultImage;
        _container = new ContainerBuilder(image)
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("xpack.security.enabled", "false")
            .WithEnvironment("xpack.ml.enabled", "false")
            .WithEnvironment("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .WithPortBinding(9200, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(
                request => request.ForPort(9200).ForPath("/_cluster/health?wait_for_status=yellow&timeout=1s"),
                strategy => strategy.WithTimeout(TimeSpan.FromMinutes(3))))
            .Build();
        await _container.StartAsync();
        Url = new Uri($"http://{_container.Hostname}:{_container.GetMappedPublicPort(9200)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>Skips the calling test (xUnit v3 dynamic skip) when there is no container.</summary>
    public void SkipUnlessRunning()
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }
    }
}
