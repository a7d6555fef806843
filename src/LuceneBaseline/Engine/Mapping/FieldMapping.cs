using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// One mapped field. <see cref="Path"/> is the full dotted name (<c>author.name</c>), which is also the Lucene field
/// name. Properties hold the effective values (defaults filled in). As in Elasticsearch, <c>GET _mapping</c> echoes a
/// parameter only when its value differs from the default. Parameters that do not apply to <see cref="Type"/> keep
/// their defaults.
/// </summary>
internal sealed record FieldMapping
{
    public required string Path { get; init; }

    public required FieldType Type { get; init; }

    /// <summary>Whether the field is searchable (<c>index</c>, default true). For dense_vector: whether knn may use it.</summary>
    public bool Index { get; init; } = true;

    /// <summary>Whether the doc-values fields (<c>{path}#dv</c>, <c>{path}#terms</c>) are written (<c>doc_values</c>, default true).</summary>
    public bool DocValues { get; init; } = true;

    /// <summary>text: the analyzer name (<c>standard</c> unless the mapping names one of <see cref="EngineAnalyzers.Names"/>); null for other types.</summary>
    public string? Analyzer { get; init; }

    /// <summary>text: positions added between the values of a multi-valued field (<c>position_increment_gap</c>, default 100).</summary>
    public int PositionIncrementGap { get; init; } = EngineAnalyzers.DefaultPositionIncrementGap;

    /// <summary>
    /// text and keyword: the name of the similarity that scores the field (<c>similarity</c>: <c>BM25</c>, <c>boolean</c>
    /// or one defined in <c>index.similarity</c>); null for the index's default similarity.
    /// </summary>
    public string? TextSimilarity { get; init; }

    /// <summary>text: whether length norms are indexed (<c>norms</c>, default true); without them BM25 ignores field length.</summary>
    public bool Norms { get; init; } = true;

    /// <summary>keyword: longer values (in UTF-16 code units, as Java counts) are kept in _source but not indexed (<c>ignore_above</c>).</summary>
    public int? IgnoreAbove { get; init; }

    /// <summary>numeric: whether strings and fractions are converted (<c>coerce</c>, default true).</summary>
    public bool Coerce { get; init; } = true;

    /// <summary>numeric and date: whether a malformed value is skipped instead of failing the document (<c>ignore_malformed</c>, default false).</summary>
    public bool IgnoreMalformed { get; init; }

    /// <summary>
    /// keyword, numeric, boolean, date: the value indexed in place of an explicit JSON null (<c>null_value</c>), already
    /// normalised to the field's JSON form (a string for keyword and date, a number, a boolean); null when not set.
    /// </summary>
    public JsonNode? NullValue { get; init; }

    /// <summary>date: the <c>format</c> as given, or null for the default (strict_date_optional_time||epoch_millis).</summary>
    public string? Format { get; init; }

    /// <summary>dense_vector: the number of dimensions (<c>dims</c>, 1 to 4096); null until the mapping or the first document sets it.</summary>
    public int? Dims { get; init; }

    /// <summary>dense_vector: the similarity (default cosine when indexed); null when <see cref="Index"/> is false.</summary>
    public VectorSimilarity? Similarity { get; init; }

    /// <summary>dense_vector: <c>index_options</c> as given (validated, echoed; the engine's knn is an exact scan either way), or null.</summary>
    public JsonObject? IndexOptions { get; init; }

    /// <summary>Field-level <c>meta</c> (string values), or null. Treat as read-only.</summary>
    public JsonObject? Meta { get; init; }

    /// <summary>object: <c>dynamic</c> as set on this object, or null to inherit from the parent (the root's default is true).</summary>
    public DynamicMode? Dynamic { get; init; }

    /// <summary>object: whether its content is parsed at all (<c>enabled</c>, default true); when false it is kept in _source only.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Multi-fields (<c>fields</c>): sub-field name -> mapping whose path is <c>{Path}.{name}</c>.</summary>
    public IReadOnlyDictionary<string, FieldMapping>? Fields { get; init; }

    /// <summary>object: child name -> mapping whose path is <c>{Path}.{name}</c>.</summary>
    public IReadOnlyDictionary<string, FieldMapping>? Properties { get; init; }

    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];
}
