using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Field parsing as Elasticsearch's <c>ObjectParser</c> does it (bool, ids, match_all): a value of a token type the
/// field does not take is <c>[parser] field doesn't support values of type: X</c>; a value that fails to convert is
/// <c>[parser] failed to parse field [field]</c> caused by the conversion error.
/// </summary>
internal static class ObjectParserFields
{
    /// <summary>A float field (accepts numbers and numeric strings).</summary>
    public static float Float(string parser, string field, JsonNode? value, Func<JsonNode?, float> convert)
    {
        if (!JsonArgs.IsNumber(value) && !JsonArgs.IsString(value))
        {
            throw QueryErrors.UnsupportedValueType(parser, field, value);
        }

        return Convert(parser, field, () => convert(value));
    }

    /// <summary>A string array field (accepts an array or a single string; elements read with <c>text()</c>).</summary>
    public static List<string> StringArray(string parser, string field, JsonNode? value)
    {
        if (JsonArgs.IsString(value))
        {
            return [JsonArgs.ParserText(value)];
        }

        if (value is not JsonArray array)
        {
            throw QueryErrors.UnsupportedValueType(parser, field, value);
        }

        return Convert(parser, field, () => array.Select(JsonArgs.ParserText).ToList());
    }

    /// <summary>
    /// A key an <c>ObjectParser</c>-based query does not declare itself: <c>boost</c> (a float, checked),
    /// <c>_name</c> (refused); anything else is an unknown field, with suggestions from <paramref name="declared"/>.
    /// </summary>
    public static float Boost(string parser, string key, JsonNode? value, IEnumerable<string> declared) => key switch
    {
        StandardFields.Boost => Float(parser, key, value, StandardFields.ParseBoost),
        StandardFields.Name => throw StandardFields.NamedQueriesUnsupported(parser),
        _ => throw QueryErrors.UnknownField(parser, key, declared),
    };

    /// <summary>
    /// Runs a query's <c>ObjectParser</c> (ids, match_all): Elasticsearch reports its <c>x_content_parse_exception</c>
    /// errors as a <c>parsing_exception</c> caused by them.
    /// </summary>
    public static T ParseQuery<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (EngineException e) when (e.Type == "x_content_parse_exception")
        {
            throw QueryErrors.Parsing(e.Reason, e);
        }
    }

    private static T Convert<T>(string parser, string field, Func<T> convert)
    {
        try
        {
            return convert();
        }
        catch (EngineException e) when (!QueryErrors.IsUnsupported(e))
        {
            throw QueryErrors.FailedToParseField(parser, field, e);
        }
    }
}
