using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.MappingBootstrap;

/// <summary><c>rerank ingest init</c>: installs an index's <c>_meta.rerank</c> and the stored fields' mappings.</summary>
/// <remarks>
/// 1. Create the index when it does not exist (the cluster's default settings).
/// 2. Read its mapping and refuse one that cannot take the stored fields or whose text fields are not strings
///    (<see cref="MappingCompatibility"/>), naming every difference.
/// 3. <c>PUT /{index}/_mapping</c> with <see cref="RerankMapping.PutMappingBody"/>. Elasticsearch replaces <c>_meta</c>
///    as a whole, so the other keys of the existing <c>_meta</c> are sent along unchanged. Running it again is
///    harmless; with another bundle it switches <c>_meta.rerank.model</c> (backfill then re-encodes everything).
/// </remarks>
internal static class IndexInitializer
{
    /// <exception cref="IngestException">The cluster cannot be reached, refuses a call, or the mapping is incompatible.</exception>
    public static async Task<IndexInitResult> InitAsync(
        ElasticsearchClient client, string index, RerankIndexConfig config, int dim, int projectionDim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);

        // Step 1.
        var exists = await client.Indices.ExistsAsync(index, cancellationToken).ConfigureAwait(false);
        if (exists.ApiCallDetails.HttpStatusCode is null or (not 200 and not 404))
        {
            throw ClusterResponses.Describe(exists, $"checking whether [{index}] exists", index);
        }

        var created = false;
        if (!exists.Exists)
        {
            var create = await client.Indices.CreateAsync(index, cancellationToken).ConfigureAwait(false);
            ClusterResponses.Ensure(create, $"creating [{index}]", index);
            created = true;
        }

        // Step 2.
        var mappings = await ClusterIndex.GetMappingsAsync(client, index, cancellationToken).ConfigureAwait(false);
        var differences = MappingCompatibility.Differences(mappings, config, dim, projectionDim);
        if (differences.Count > 0)
        {
            throw new IngestException($"the mapping of [{index}] is incompatible with the rerank fields: {string.Join("; ", differences)}");
        }

        string? previousModel = null;
        try
        {
            if (RerankIndexConfigReader.TryReadFromMappings(index, mappings, out var previous))
            {
                previousModel = previous!.ModelId;
            }
        }
        catch (RerankConfigException)
        {
            // An invalid config is what init is run to replace.
        }

        // Step 3.
        var body = RerankMapping.PutMappingBody(config, dim, projectionDim);
        if (mappings.TryGetProperty("_meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            var merged = JsonNode.Parse(meta.GetRawText())!.AsObject();
            merged[RerankIndexConfig.MetaKey] = body["_meta"]![RerankIndexConfig.MetaKey]!.DeepClone();
            body["_meta"] = merged;
        }

        var typed = Typed(client, body);
        var put = await client.Indices.PutMappingAsync(
            new PutMappingRequest(index) { Meta = typed.Meta, Properties = typed.Properties }, cancellationToken).ConfigureAwait(false);
        ClusterResponses.Ensure(put, $"updating the mapping of [{index}]", index);
        return new IndexInitResult(created, previousModel);
    }

    /// <summary>The body as the client's own <see cref="TypeMapping"/> (read by its serializer), so the typed API sends it.</summary>
    private static TypeMapping Typed(ElasticsearchClient client, JsonObject body)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        return client.ElasticsearchClientSettings.RequestResponseSerializer.Deserialize<TypeMapping>(stream);
    }
}
