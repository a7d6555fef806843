using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>One top-level <c>knn</c> search, validated as Elasticsearch validates it when the request is parsed.</summary>
/// <param name="Field">The dense_vector field.</param>
/// <param name="QueryVector">The query vector.</param>
/// <param name="K">The number of nearest neighbours returned (over all indices together).</param>
/// <param name="NumCandidates">Candidates per index. The exact scan finds the true nearest neighbours, so this only
/// bounds <see cref="K"/> (validated as Elasticsearch validates it).</param>
/// <param name="Filters">Queries every candidate must match (<c>filter</c>, one object or an array).</param>
/// <param name="Similarity">The minimum raw similarity (for <c>l2_norm</c>: the maximum distance), or null.</param>
/// <param name="Boost">Multiplies the knn score (default 1).</param>
internal sealed record KnnClause(string Field, float[] QueryVector, int K, int NumCandidates, IReadOnlyList<JsonObject> Filters, float? Similarity, float Boost);
