namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// One mapped field. <see cref="Path"/> is the full dotted name (<c>author.name</c>), which is also the Lucene field
/// name. Only the parameters that apply to <see cref="Type"/> are set; the rest stay null.
/// </summary>
public sealed record FieldMapping
{
    public required string Path { get; init; }

    public required FieldType Type { get; init; }

    /// <summary>Whether the field is searchable (<c>index</c>, default true). For dense_vector: whether knn may use it.</summary>
    public bool Index { get; init; } = true;

    /// <summary>text: the analyzer name (<c>standard</c> by default, or <c>cjk</c>).</summary>
    public string? Analyzer { get; init; }

    /// <summary>keyword: longer values are kept in _source but not indexed (<c>ignore_above</c>).</summary>
    public int? IgnoreAbove { get; init; }

    /// <summary>date: the <c>format</c> as given, or null for the default (strict_date_optional_time||epoch_millis).</summary>
    public string? Format { get; init; }

    /// <summary>dense_vector: the number of dimensions (<c>dims</c>, 1 to 4096).</summary>
    public int? Dims { get; init; }

    /// <summary>dense_vector: the similarity (default cosine).</summary>
    public VectorSimilarity? Similarity { get; init; }

    /// <summary>Multi-fields (<c>fields</c>): sub-field name -> mapping whose path is <c>{Path}.{name}</c>.</summary>
    public IReadOnlyDictionary<string, FieldMapping>? Fields { get; init; }

    /// <summary>object: child name -> mapping whose path is <c>{Path}.{name}</c>.</summary>
    public IReadOnlyDictionary<string, FieldMapping>? Properties { get; init; }

    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];
}
