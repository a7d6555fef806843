using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The shared parsing of <c>term</c>, <c>prefix</c> and <c>wildcard</c> (one field, a value in short or long form,
/// <c>boost</c>, <c>case_insensitive</c>, <c>rewrite</c>), with Elasticsearch's errors.
/// </summary>
/// <param name="Field">The field name.</param>
/// <param name="Value">The value (a JSON scalar).</param>
/// <param name="Boost">The boost (default 1).</param>
/// <param name="CaseInsensitive">Whether to match ignoring case (default false).</param>
internal sealed record TermLikeParameters(string Field, JsonNode Value, float Boost, bool CaseInsensitive)
{
    // The constant-score rewrites score like the default; the scoring ones (scoring_boolean, top_terms_*) are not implemented.
    private static readonly HashSet<string> ConstantScoreRewrites = new(StringComparer.Ordinal)
    {
        "constant_score", "constant_score_boolean", "constant_score_blended",
    };

    public static TermLikeParameters Parse(string query, JsonObject body, string[] valueKeys, bool allowCaseInsensitive, bool allowRewrite)
    {
        string? field = null;
        JsonNode? value = null;
        var boost = 1f;
        var caseInsensitive = false;
        foreach (var (key, node) in body)
        {
            if (node is JsonArray)
            {
                throw query == "term"
                    ? QueryErrors.Parsing("[term] query does not support array of values")
                    : QueryErrors.IllegalState("Can't get text on a START_ARRAY");
            }

            if (node is not JsonObject && JsonArgs.IsNull(node))
            {
                continue;
            }

            if (field is not null)
            {
                throw QueryErrors.MultipleFields(query, field, key);
            }

            field = key;
            if (node is not JsonObject options)
            {
                value = node;
                continue;
            }

            foreach (var (parameter, setting) in options)
            {
                if (valueKeys.Contains(parameter))
                {
                    if (setting is JsonObject or JsonArray)
                    {
                        throw QueryErrors.UnknownToken(query, setting, parameter);
                    }

                    value = JsonArgs.IsNull(setting) ? null : setting;
                    continue;
                }

                switch (parameter)
                {
                    case "case_insensitive" when allowCaseInsensitive:
                        caseInsensitive = JsonArgs.ReadBool(setting);
                        break;
                    case "rewrite" when allowRewrite:
                        CheckRewrite(JsonArgs.ParserText(setting));
                        break;
                    default:
                        boost = StandardFields.ReadBoost(query, parameter, setting);
                        break;
                }
            }
        }

        if (string.IsNullOrEmpty(field))
        {
            throw QueryErrors.IllegalArgument("field name is null or empty");
        }

        if (value is null)
        {
            throw QueryErrors.IllegalArgument("value cannot be null");
        }

        StandardFields.CheckBoost(boost);
        return new TermLikeParameters(field, value, boost, caseInsensitive);
    }

    private static void CheckRewrite(string rewrite)
    {
        if (ConstantScoreRewrites.Contains(rewrite))
        {
            return;
        }

        if (rewrite == "scoring_boolean" || rewrite.StartsWith("top_terms_", StringComparison.Ordinal))
        {
            throw QueryErrors.Unsupported($"rewrite method [{rewrite}]");
        }

        throw QueryErrors.IllegalArgument($"Failed to parse rewrite_method [{rewrite}]");
    }
}
