using Lucene.Net.Analysis;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// What building a Lucene query for one index needs (Elasticsearch's <c>SearchExecutionContext</c>): the index's
/// mapping, analyzer and reader, and the request's "now" for date math. One per index per request.
/// </summary>
internal sealed class QueryBuildContext
{
    /// <summary>The metadata fields a query may name besides the mapped ones.</summary>
    public const string IdField = "_id";

    public const string IndexField = "_index";

    public QueryBuildContext(SearchTarget target, DateTimeOffset now)
    {
        Target = target;
        Now = now;
    }

    public SearchTarget Target { get; }

    public string Index => Target.IndexName;

    public IndexMapping Mapping => Target.Mapping;

    /// <summary>The analyzer that analyses each text field with its mapped analyzer.</summary>
    public Analyzer Analyzer => Target.Analyzer;

    /// <summary>The instant <c>now</c> stands for in date math; one value for the whole request.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The mapped leaf field (or multi-field) at <paramref name="path"/>; null for unmapped paths and objects.</summary>
    public FieldMapping? LeafField(string path)
    {
        var field = Mapping.Find(path);
        return field is null || field.Type == FieldType.Object ? null : field;
    }

    /// <summary>The object mapping at <paramref name="path"/>, or null.</summary>
    public FieldMapping? ObjectField(string path)
    {
        var field = Mapping.Find(path);
        return field?.Type == FieldType.Object ? field : null;
    }

    /// <summary>
    /// Elasticsearch's <c>getMatchingFieldNames</c>: the leaf field names (multi-fields included, objects not)
    /// matching a name or a <c>*</c> pattern, in mapping order. Metadata fields are not mapped fields here.
    /// </summary>
    public IReadOnlyList<string> MatchingFieldNames(string pattern)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return LeafField(pattern) is null ? [] : [pattern];
        }

        return Mapping.FieldsByPath.Values
            .Where(f => f.Type != FieldType.Object && Glob.IsMatch(pattern, f.Path))
            .Select(f => f.Path)
            .ToList();
    }

    /// <summary>A shard failure for this index wrapping <paramref name="cause"/> (<c>failed to create query: ...</c>).</summary>
    public EngineException ShardFailure(EngineException cause) => QueryErrors.Shard(Index, cause);

    /// <summary>A shard failure for this index with its own reason.</summary>
    public EngineException ShardFailure(string reason) => QueryErrors.Shard(Index, reason);
}
