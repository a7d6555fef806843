using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>terms</c>: any of an array of exact values on one field (<c>{"field": [v1, v2], "boost": b}</c>); constant score
/// <c>boost</c>, as Elasticsearch's term-in-set query. At most <see cref="MaxTermsCount"/> values
/// (<c>index.max_terms_count</c>). The terms-lookup form (<c>{"field": {"index": ..., "id": ..., "path": ...}}</c>) is
/// refused as unsupported.
/// </summary>
internal sealed class TermsQueryBuilder : QueryNode
{
    /// <summary>Elasticsearch's default <c>index.max_terms_count</c>.</summary>
    public const int MaxTermsCount = 65536;

    private const string Name = "terms";

    private TermsQueryBuilder(string field, List<JsonNode> values)
    {
        Field = field;
        Values = values;
    }

    public string Field { get; }

    public IReadOnlyList<JsonNode> Values { get; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        string? field = null;
        List<JsonNode>? values = null;
        var boost = 1f;
        foreach (var (key, node) in body)
        {
            switch (node)
            {
                case JsonArray array:
                    if (field is not null)
                    {
                        throw QueryErrors.Parsing("[terms] query does not support multiple fields");
                    }

                    field = key;
                    values = [];
                    foreach (var element in array)
                    {
                        values.Add(JsonArgs.IsNull(element) ? throw QueryErrors.Parsing("No value specified for terms query") : element!);
                    }

                    break;
                case JsonObject:
                    if (field is not null)
                    {
                        throw QueryErrors.Parsing($"[terms] query does not support more than one field. Already got: [{field}] but also found [{key}]");
                    }

                    throw QueryErrors.Unsupported("[terms] query terms lookup");
                default:
                    if (!JsonArgs.IsScalar(node))
                    {
                        throw QueryErrors.UnknownToken(Name, node, key);
                    }

                    boost = StandardFields.ReadBoost(Name, key, node);

                    break;
            }
        }

        if (field is null)
        {
            throw QueryErrors.Parsing("[terms] query requires a field name, followed by array of terms or a document lookup specification");
        }

        StandardFields.CheckBoost(boost);
        return new TermsQueryBuilder(field, values!) { Boost = boost };
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        if (Values.Count == 0)
        {
            return new MatchNoDocsQuery("The \"terms\" query was rewritten to a \"match_none\" query.");
        }

        if (Values.Count > MaxTermsCount)
        {
            throw context.ShardFailure(QueryErrors.IllegalArgument(
                $"The number of terms [{Values.Count}] used in the Terms Query request has exceeded the allowed maximum of [{MaxTermsCount}]. "
                + "This maximum can be set by changing the [index.max_terms_count] index level setting."));
        }

        return FieldQueries.Terms(context, Field, Values);
    }
}
