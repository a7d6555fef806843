using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// The text a query searches for (docs/search.md "Query text"): the texts of its relevance clauses, distinct, joined by a
/// space in the order found.
/// </summary>
/// <remarks>
/// Walked: <c>bool.must</c>, <c>bool.should</c>, <c>dis_max.queries</c>, <c>function_score.query</c>,
/// <c>script_score.query</c>, <c>boosting.positive</c>. Not walked: filters (<c>bool.filter</c>, <c>bool.must_not</c>,
/// <c>constant_score.filter</c>, <c>boosting.negative</c>) and every other query. Only string texts count (a
/// <c>match</c> on a number is not text). The walk stops <see cref="MaxDepth"/> query levels down: deeper clauses add no
/// text, so a hostile nesting costs a bounded walk and never a stack overflow.
/// </remarks>
internal static class QueryTextExtractor
{
    /// <summary>Query objects deeper than this add no text (Elasticsearch itself refuses bool nesting past 30 levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>The query's text, or empty when it has none.</summary>
    public static string Extract(JsonElement query)
    {
        var texts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Walk(query, 1, texts, seen);
        return string.Join(' ', texts);
    }

    private static void Walk(JsonElement query, int depth, List<string> texts, HashSet<string> seen)
    {
        if (depth > MaxDepth || query.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var clause in query.EnumerateObject())
        {
            var body = clause.Value;
            if (body.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (clause.Name)
            {
                case "match" or "match_phrase" or "match_phrase_prefix" or "match_bool_prefix":
                    // {"field": "text"} or {"field": {"query": "text", ...}}
                    foreach (var field in body.EnumerateObject())
                    {
                        Add(field.Value.ValueKind == JsonValueKind.Object ? QueryOf(field.Value) : field.Value, texts, seen);
                    }

                    break;
                case "multi_match" or "combined_fields" or "query_string" or "simple_query_string":
                    Add(QueryOf(body), texts, seen);
                    break;
                case "bool":
                    foreach (var occur in body.EnumerateObject())
                    {
                        if (occur.Name is "must" or "should")
                        {
                            WalkClauses(occur.Value, depth, texts, seen);
                        }
                    }

                    break;
                case "dis_max":
                    WalkClauses(Child(body, "queries"), depth, texts, seen);
                    break;
                case "function_score" or "script_score":
                    Walk(Child(body, "query"), depth + 1, texts, seen);
                    break;
                case "boosting":
                    Walk(Child(body, "positive"), depth + 1, texts, seen);
                    break;
                default:
                    break;
            }
        }
    }

    // A bool occurrence or dis_max.queries: one query or an array of them.
    private static void WalkClauses(JsonElement clauses, int depth, List<string> texts, HashSet<string> seen)
    {
        if (clauses.ValueKind == JsonValueKind.Array)
        {
            foreach (var clause in clauses.EnumerateArray())
            {
                Walk(clause, depth + 1, texts, seen);
            }
        }
        else
        {
            Walk(clauses, depth + 1, texts, seen);
        }
    }

    private static JsonElement QueryOf(JsonElement body) => Child(body, "query");

    private static JsonElement Child(JsonElement body, string name) =>
        body.TryGetProperty(name, out var child) ? child : default;

    private static void Add(JsonElement text, List<string> texts, HashSet<string> seen)
    {
        if (text.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var value = text.GetString()!.Trim();
        if (value.Length > 0 && seen.Add(value))
        {
            texts.Add(value);
        }
    }
}
