using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>Configs by index name; counts lookups; an index in <see cref="Invalid"/> throws as an invalid _meta.rerank does.</summary>
internal sealed class FakeConfigSource : IIndexConfigSource
{
    private int _lookups;

    public Dictionary<string, RerankIndexConfig> Configs { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Invalid { get; } = new(StringComparer.Ordinal);

    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask<RerankIndexConfig?> GetAsync(string index, string? authorization, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (Invalid.Contains(index))
        {
            throw new RerankConfigException(index, ["[_meta.rerank.window] must be an integer from 1 to 1000, got [0]"]);
        }

        return ValueTask.FromResult(Configs.TryGetValue(index, out var config) && config.Enabled ? config : null);
    }
}
