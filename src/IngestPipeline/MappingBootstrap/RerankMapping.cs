using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.MappingBootstrap;

/// <summary>The mapping an enabled index needs: its <c>_meta.rerank</c> and the stored fields' types (docs/index-config.md).</summary>
public static class RerankMapping
{
    /// <summary>
    /// The <c>properties</c> for the stored fields, dotted paths expanded into objects (as <c>GET _mapping</c> shows them):
    /// the projection a <c>binary</c> field with doc values (Float16, Int8) or a <c>dense_vector</c> with
    /// <c>index: false</c> (Float32) of <paramref name="projectionDim"/> dims; the embedding an indexed cosine
    /// <c>dense_vector</c> of <paramref name="dim"/> dims; model id, text hash and stale reason <c>keyword</c>.
    /// </summary>
    public static JsonObject Properties(RerankIndexConfig config, int dim, int projectionDim)
    {
        ArgumentNullException.ThrowIfNull(config);
        var properties = new JsonObject();
        var fields = config.Fields;
        Add(properties, fields.Projection, config.ProjectionEncoding == ProjectionEncoding.Float32
            ? new JsonObject { ["type"] = "dense_vector", ["dims"] = projectionDim, ["index"] = false }
            : new JsonObject { ["type"] = "binary", ["doc_values"] = true });
        if (fields.Embedding is not null)
        {
            Add(properties, fields.Embedding, new JsonObject { ["type"] = "dense_vector", ["dims"] = dim, ["index"] = true, ["similarity"] = "cosine" });
        }

        Add(properties, fields.Model, new JsonObject { ["type"] = "keyword" });
        Add(properties, fields.TextHash, new JsonObject { ["type"] = "keyword" });
        Add(properties, fields.Stale, new JsonObject { ["type"] = "keyword" });
        return properties;
    }

    /// <summary>The body of <c>PUT /{index}/_mapping</c> that installs <paramref name="config"/> and its fields.</summary>
    public static JsonObject PutMappingBody(RerankIndexConfig config, int dim, int projectionDim) => new()
    {
        ["_meta"] = new JsonObject { [RerankIndexConfig.MetaKey] = RerankIndexConfigReader.ToJson(config) },
        ["properties"] = Properties(config, dim, projectionDim),
    };

    private static void Add(JsonObject properties, string path, JsonObject definition)
    {
        var segments = path.Split('.');
        var current = properties;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is not JsonObject holder)
            {
                holder = new JsonObject { ["properties"] = new JsonObject() };
                current[segments[i]] = holder;
            }

            current = (JsonObject)holder["properties"]!;
        }

        current[segments[^1]] = definition;
    }
}
