using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Transport.Extensions;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>Reads an index's mapping and its <c>_meta.rerank</c> through the official client.</summary>
internal static class ClusterIndex
{
    /// <summary>
    /// The index's <c>mappings</c> object as JSON (the typed answer of <c>GET /{index}/_mapping</c>, written back out by
    /// the client's own serializer, so the config reader and the compatibility check read one JSON shape).
    /// </summary>
    /// <exception cref="IngestException">The cluster cannot be reached, the index does not exist, or the name resolves to several indices.</exception>
    public static async Task<JsonElement> GetMappingsAsync(ElasticsearchClient client, string index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.Indices.GetMappingAsync(new GetMappingRequest(index), cancellationToken).ConfigureAwait(false);
        ClusterResponses.Ensure(response, $"reading the mapping of [{index}]", index);
        if (response.Mappings.Count != 1)
        {
            throw new IngestException($"[{index}] resolves to {response.Mappings.Count} indices ({string.Join(", ", response.Mappings.Keys.Order(StringComparer.Ordinal))}); name one index");
        }

        var mapping = response.Mappings.Values.Single().Mappings;
        var json = client.ElasticsearchClientSettings.RequestResponseSerializer.SerializeToString(mapping);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The index's config.</summary>
    /// <exception cref="IngestException">As <see cref="GetMappingsAsync"/>, or the index has no or an invalid <c>_meta.rerank</c> (every error named).</exception>
    public static async Task<RerankIndexConfig> ReadConfigAsync(ElasticsearchClient client, string index, CancellationToken cancellationToken) =>
        ConfigOf(index, await GetMappingsAsync(client, index, cancellationToken).ConfigureAwait(false));

    /// <summary>The config in <paramref name="mappings"/> (see <see cref="ReadConfigAsync"/>).</summary>
    public static RerankIndexConfig ConfigOf(string index, JsonElement mappings)
    {
        try
        {
            return RerankIndexConfigReader.TryReadFromMappings(index, mappings, out var config)
                ? config!
                : throw new IngestException($"index [{index}] has no [_meta.rerank] in its mapping; run `rerank ingest init` on it first");
        }
        catch (RerankConfigException exception)
        {
            throw new IngestException(exception.Message, exception);
        }
    }
}
