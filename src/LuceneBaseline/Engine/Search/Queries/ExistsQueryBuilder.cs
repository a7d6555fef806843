using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Documents;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>exists</c>: documents with an indexed value for <c>field</c> (a name, a <c>*</c> pattern, or an object, which
/// stands for every field under it); constant score <c>boost</c>.
/// </summary>
/// <remarks>
/// A field exists in a document when the document indexed a value for it (its <c>_field_names</c> term): JSON nulls
/// and empty arrays do not count, nor keyword values beyond <c>ignore_above</c>; empty strings do, as in Elasticsearch.
/// </remarks>
internal sealed class ExistsQueryBuilder : QueryNode
{
    private const string Name = "exists";

    private ExistsQueryBuilder(string field)
    {
        Field = field;
    }

    public string Field { get; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        string? field = null;
        var boost = 1f;
        foreach (var (key, value) in body)
        {
            if (!JsonArgs.IsScalar(value))
            {
                throw QueryErrors.UnknownToken(Name, value, key);
            }

            switch (key)
            {
                case "field":
                    field = JsonArgs.ParserText(value);
                    break;
                default:
                    boost = StandardFields.ReadBoost(Name, key, value);
                    break;
            }
        }

        if (field is null)
        {
            throw QueryErrors.Parsing("[exists] must be provided with a [field]");
        }

        StandardFields.CheckBoost(boost);
        return new ExistsQueryBuilder(field) { Boost = boost };
    }

    /// <summary>The non-scoring exists filter for a field pattern (also what an unbounded <c>range</c> becomes).</summary>
    public static Query NewFilter(QueryBuildContext context, string fieldPattern)
    {
        if (fieldPattern == QueryBuildContext.IdField)
        {
            // Every document has an _id.
            return LuceneQueries.ConstantScore(new MatchAllDocsQuery());
        }

        var pattern = context.ObjectField(fieldPattern) is null ? fieldPattern : fieldPattern + ".*";
        var fields = context.MatchingFieldNames(pattern);
        if (fields.Count == 0)
        {
            return new MatchNoDocsQuery($"No field \"{fieldPattern}\" exists in mappings.");
        }

        if (fields.Count == 1)
        {
            return LuceneQueries.ConstantScore(FieldExists(fields[0]));
        }

        var any = LuceneQueries.NewBoolean();
        foreach (var field in fields)
        {
            any.Add(FieldExists(field), Occur.SHOULD);
        }

        return LuceneQueries.ConstantScore(any);
    }

    protected override Query DoToQuery(QueryBuildContext context) => NewFilter(context, Field);

    // Documents writes one _field_names term per accepted value's path (multi-fields included, keyword values beyond
    // ignore_above excluded), which is what Elasticsearch's per-type exists checks (doc values, norms) amount to.
    private static Query FieldExists(string path) => new TermQuery(new Term(LuceneFieldNames.FieldNames, path));
}
