using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The index settings the engine understands, with the values Elasticsearch stamps at creation (name, uuid, date).
/// Immutable; parse a create-index <c>settings</c> object with <see cref="IndexSettingsParser"/>.
/// </summary>
/// <remarks>
/// <see cref="NumberOfShards"/> and <see cref="NumberOfReplicas"/> are accepted and echoed as given, but the engine keeps
/// one Lucene index per Elasticsearch index and no copies: shards do not split the data and replicas do not exist.
/// </remarks>
internal sealed record IndexSettings
{
    /// <summary><c>index.number_of_shards</c> (1 to 1024, default 1): echoed only, the data is one Lucene index.</summary>
    public int NumberOfShards { get; init; } = 1;

    /// <summary><c>index.number_of_replicas</c> (default 1): echoed only, there are no replicas.</summary>
    public int NumberOfReplicas { get; init; } = 1;

    /// <summary><c>index.max_result_window</c>: the largest <c>from + size</c> a search may ask for. Default 10,000.</summary>
    public int MaxResultWindow { get; init; } = 10_000;

    /// <summary>
    /// <c>index.highlight.max_analyzed_offset</c>: the longest field value <c>highlight</c> analyses (longer fails the
    /// search unless the request sets <c>max_analyzed_offset</c>). Default 1,000,000 characters, as Elasticsearch.
    /// </summary>
    public int HighlightMaxAnalyzedOffset { get; init; } = 1_000_000;

    /// <summary><c>index.mapping.total_fields.limit</c> (1000) and <c>index.mapping.depth.limit</c> (20).</summary>
    internal Mapping.MappingLimits MappingLimits { get; init; } = Mapping.MappingLimits.Default;

    /// <summary>
    /// <c>index.refresh_interval</c>; null means the engine default; <see cref="Timeout.InfiniteTimeSpan"/> is <c>-1</c>
    /// (off). Zero also turns the scheduled refresh off, as in Elasticsearch.
    /// </summary>
    public TimeSpan? RefreshInterval { get; init; }

    /// <summary><c>index.similarity.default</c> (BM25 k1, b, discount_overlaps) and the index's BM25 arithmetic.</summary>
    public SimilaritySettings Similarity { get; init; } = new();

    /// <summary><c>index.provided_name</c>: the name the index was created with; null before creation.</summary>
    public string? ProvidedName { get; init; }

    /// <summary><c>index.uuid</c>: 22 characters of URL-safe base64, random at creation; null before creation.</summary>
    public string? Uuid { get; init; }

    /// <summary><c>index.creation_date</c>; null before creation.</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>The settings as given at creation: flat keys (<c>index.refresh_interval</c>) to their string values.</summary>
    internal IReadOnlyDictionary<string, string> Given { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>
    /// The settings as <c>GET /&lt;index&gt;/_settings</c> shows them: the content of the <c>index</c> object, every value a
    /// string, keys in order. The settings given at creation are echoed as given; <c>number_of_shards</c> and
    /// <c>number_of_replicas</c> always appear; <c>provided_name</c>, <c>creation_date</c> (epoch milliseconds) and
    /// <c>uuid</c> appear once the index exists. Elasticsearch's <c>version.created</c> and <c>routing</c> tier preference
    /// are left out: the engine has no Elasticsearch version or data tiers to report.
    /// </summary>
    public JsonObject ToJson()
    {
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["number_of_shards"] = NumberOfShards.ToString(CultureInfo.InvariantCulture),
            ["number_of_replicas"] = NumberOfReplicas.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Given)
        {
            flat[key.StartsWith(IndexSettingsParser.Prefix, StringComparison.Ordinal) ? key[IndexSettingsParser.Prefix.Length..] : key] = value;
        }

        if (ProvidedName is not null)
        {
            flat["provided_name"] = ProvidedName;
        }

        if (CreationDate is { } created)
        {
            flat["creation_date"] = created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }

        if (Uuid is not null)
        {
            flat["uuid"] = Uuid;
        }

        var root = new JsonObject();
        foreach (var (key, value) in flat)
        {
            var parent = root;
            var parts = key.Split('.');
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (parent[parts[i]] is not JsonObject child)
                {
                    child = new JsonObject();
                    parent[parts[i]] = child;
                }

                parent = child;
            }

            parent[parts[^1]] = value;
        }

        return root;
    }
}
