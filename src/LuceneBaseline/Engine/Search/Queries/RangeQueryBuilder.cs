using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>range</c>: values between bounds on one field; constant score <c>boost</c>.
/// </summary>
/// <remarks>
/// Bounds: <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c> (and the older <c>from</c>/<c>to</c> with
/// <c>include_lower</c>/<c>include_upper</c>, default true); a null bound is open; no bound at all is <c>exists</c>.
/// Numeric fields parse bounds by their type (decimal bounds on integer fields round inwards); keyword and text fields
/// compare terms; date fields take the field's format or <c>format</c>, <c>time_zone</c> for dates without an offset
/// and for rounding, and date math (<c>now-1d/d</c>, <c>2020-01-01||+1M/d</c>), rounding <c>gt</c>/<c>lte</c> up and
/// <c>gte</c>/<c>lt</c> down. <c>relation</c> (intersects, contains, within) only matters for range fields, which the
/// engine does not have, so for its field types all three match the same documents, as in Elasticsearch.
/// </remarks>
internal sealed class RangeQueryBuilder : QueryNode
{
    private const string Name = "range";

    private RangeQueryBuilder(string field)
    {
        Field = field;
    }

    public string Field { get; }

    public JsonNode? From { get; private set; }

    public JsonNode? To { get; private set; }

    public bool IncludeLower { get; private set; } = true;

    public bool IncludeUpper { get; private set; } = true;

    public DateFormatter? Format { get; private set; }

    public DateZone? TimeZone { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        RangeQueryBuilder? query = null;
        foreach (var (key, node) in body)
        {
            if (node is not JsonObject bounds)
            {
                throw QueryErrors.DoesNotSupport(Name, key);
            }

            if (query is not null)
            {
                throw QueryErrors.MultipleFields(Name, query.Field, key);
            }

            query = new RangeQueryBuilder(key);
            foreach (var (parameter, value) in bounds)
            {
                query.ParseParameter(parameter, value);
            }
        }

        if (query is null || query.Field.Length == 0)
        {
            throw QueryErrors.IllegalArgument("field name is null or empty");
        }

        StandardFields.CheckBoost(query.Boost);
        return query;
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        if (From is null && To is null)
        {
            return ExistsQueryBuilder.NewFilter(context, Field);
        }

        return FieldQueries.Range(context, Field, From, To, IncludeLower, IncludeUpper, Format, TimeZone);
    }

    private static JsonNode? Bound(string parameter, JsonNode? value) =>
        value is JsonObject or JsonArray ? throw QueryErrors.UnknownToken(Name, value, parameter) : JsonArgs.IsNull(value) ? null : value;

    private void ParseParameter(string parameter, JsonNode? value)
    {
        switch (parameter)
        {
            case "from":
                From = Bound(parameter, value);
                break;
            case "to":
                To = Bound(parameter, value);
                break;
            case "include_lower":
                IncludeLower = JsonArgs.ReadBool(value);
                break;
            case "include_upper":
                IncludeUpper = JsonArgs.ReadBool(value);
                break;
            case "gt":
                From = Bound(parameter, value);
                IncludeLower = false;
                break;
            case "gte":
                From = Bound(parameter, value);
                IncludeLower = true;
                break;
            case "lt":
                To = Bound(parameter, value);
                IncludeUpper = false;
                break;
            case "lte":
                To = Bound(parameter, value);
                IncludeUpper = true;
                break;
            case "format":
                Format = DateFormatter.ForPattern(JsonArgs.ParserText(value));
                break;
            case "time_zone":
                TimeZone = DateZone.Parse(JsonArgs.ParserText(value));
                break;
            case "relation":
                var relation = JsonArgs.ParserText(value);
                switch (relation.ToLowerInvariant())
                {
                    case "intersects" or "contains" or "within":
                        break;
                    case "disjoint":
                        throw QueryErrors.IllegalArgument("[range] query does not support relation [disjoint]");
                    default:
                        throw QueryErrors.IllegalArgument($"{relation} is not a valid relation");
                }

                break;
            default:
                Boost = StandardFields.ReadBoost(Name, parameter, value);
                break;
        }
    }
}
