using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>exists</c>: documents with an indexed value for <c>field</c> (a name, a <c>*</c> pattern, or an object, which
/// stands for every field under it); constant score <c>boost</c>.
/// </summary>
/// <remarks>
/// As Elasticsearch decides per field type: text fields by the <c>_field_names</c> term of their source path (a text
/// multi-field by its parent's), keyword, numeric, date, boolean and dense_vector fields by their doc values, so a
/// keyword value beyond <c>ignore_above</c> does not count, as in Elasticsearch.
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
            if (!XContentValues.IsValue(value))
            {
                throw QueryErrors.UnknownToken(Name, value, key);
            }

            switch (key)
            {
                case "field":
                    field = XContentValues.Text(value);
                    break;
                case StandardFields.Boost:
                    boost = XContentValues.FloatValue(value);
                    break;
                case StandardFields.Name:
                    throw StandardFields.NamedQueriesUnsupported(Name);
                default:
                    throw QueryErrors.DoesNotSupport(Name, key);
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
        var pattern = context.ObjectField(fieldPattern) is null ? fieldPattern : fieldPattern + ".*";
        var fields = context.MatchingFieldNames(pattern);
        if (fields.Count == 0)
        {
            return new MatchNoDocsQuery($"No field \"{fieldPattern}\" exists in mappings.");
        }

        if (fields.Count == 1)
        {
            return LuceneQueries.ConstantScore(FieldExists(context, context.LeafField(fields[0])!));
        }

        var any = LuceneQueries.NewBoolean();
        foreach (var field in fields)
        {
            any.Add(FieldExists(context, context.LeafField(field)!), Occur.SHOULD);
        }

        return LuceneQueries.ConstantScore(any);
    }

    protected override Query DoToQuery(QueryBuildContext context) => NewFilter(context, Field);

    private static Query FieldExists(QueryBuildContext context, FieldMapping field) => field.Type switch
    {
        FieldType.Text => new TermQuery(new Term(LuceneFieldNames.FieldNames, SourcePath(context, field))),
        _ => new ConstantScoreQuery(new FieldValueFilter(LuceneFieldNames.DocValues(field.Path))),
    };

    // A multi-field (title.english under title) has no value of its own in _source: it exists where its parent does.
    private static string SourcePath(QueryBuildContext context, FieldMapping field)
    {
        var dot = field.Path.LastIndexOf('.');
        if (dot < 0)
        {
            return field.Path;
        }

        var parent = context.Mapping.Find(field.Path[..dot]);
        return parent?.Fields?.ContainsKey(field.Name) == true ? SourcePath(context, parent) : field.Path;
    }
}
