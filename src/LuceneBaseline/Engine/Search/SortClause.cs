using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>What a sort clause sorts by.</summary>
internal enum SortKind
{
    /// <summary><c>_score</c> (default order descending).</summary>
    Score,

    /// <summary><c>_doc</c>: index order within each index (default order ascending).</summary>
    Doc,

    /// <summary>A mapped field's doc values (default order ascending).</summary>
    Field,

    /// <summary>
    /// <c>_shard_doc</c>: the document's position in a point in time, <c>(shard index &lt;&lt; 32) | doc</c>
    /// (default order ascending); only with a point in time.
    /// </summary>
    ShardDoc,
}

/// <summary>One clause of <c>sort</c>, as parsed from the request (resolved against each index's mapping at search time).</summary>
/// <param name="Kind">Score, doc order or field.</param>
/// <param name="Field">The field path for <see cref="SortKind.Field"/>; <c>_score</c>/<c>_doc</c> otherwise.</param>
/// <param name="Descending">The order.</param>
/// <param name="Missing"><c>missing</c>: null for the default <c>_last</c>, the strings <c>_last</c>/<c>_first</c>, or a substitute value.</param>
/// <param name="UnmappedType"><c>unmapped_type</c>: the type an index without the field should assume (its documents all miss the value).</param>
/// <param name="Mode"><c>mode</c>: <c>min</c>, <c>max</c>, <c>sum</c>, <c>avg</c>, <c>median</c>; null for the default (min ascending, max descending).</param>
internal sealed record SortClause(SortKind Kind, string Field, bool Descending, JsonNode? Missing = null, string? UnmappedType = null, string? Mode = null)
{
    public static SortClause ScoreDescending { get; } = new(SortKind.Score, "_score", Descending: true);

    /// <summary>Whether missing values sort first (<c>missing: _first</c>).</summary>
    public bool MissingFirst => Missing is JsonValue value && JsonArgs.IsString(value) && value.GetValue<string>() == "_first";

    /// <summary>The substitute value for documents without the field, or null for <c>_first</c>/<c>_last</c>.</summary>
    public JsonNode? MissingValue => Missing is JsonValue value && JsonArgs.IsString(value) && value.GetValue<string>() is "_first" or "_last" ? null : Missing;
}
