using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Parses the body of <c>_update</c> (and of a bulk <c>update</c> item).</summary>
internal static class UpdateBody
{
    /// <summary>Elasticsearch's <c>UNASSIGNED_SEQ_NO</c>: the one negative <c>if_seq_no</c> it accepts, meaning "none".</summary>
    private const long UnassignedSeqNo = -2;

    /// <summary>
    /// The update, the <c>_source</c> filter of the answer's <c>get</c> when the body asks for one, and the write's
    /// options: <paramref name="options"/> (from the URL or the bulk action line) with the body's <c>if_seq_no</c> /
    /// <c>if_primary_term</c> put over them field by field, since Elasticsearch sets those first and its body parser
    /// then sets whatever the body gives. A body <c>if_seq_no</c> of -2 and <c>if_primary_term</c> of 0 are
    /// Elasticsearch's "unassigned".
    /// </summary>
    public static (UpdateRequest Update, SourceSpec? Source, WriteOptions Options) Parse(JsonObject body, WriteOptions options)
    {
        JsonObject? doc = null;
        JsonObject? upsert = null;
        var docAsUpsert = false;
        var detectNoop = true;
        SourceSpec? source = null;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "doc":
                    doc = Object(key, value);
                    break;
                case "upsert":
                    upsert = Object(key, value);
                    break;
                case "doc_as_upsert":
                    docAsUpsert = Boolean(key, value);
                    break;
                case "detect_noop":
                    detectNoop = Boolean(key, value);
                    break;
                case "_source":
                    source = SourceFilterParameters.Parse(value, "UpdateRequest");
                    break;
                case "if_seq_no":
                    var seqNo = Long(key, value);
                    if (seqNo < 0 && seqNo != UnassignedSeqNo)
                    {
                        throw ParseFailure(key, $"sequence numbers must be non negative. got [{seqNo}].");
                    }

                    options = options with { IfSeqNo = seqNo == UnassignedSeqNo ? null : seqNo };
                    break;
                case "if_primary_term":
                    var term = Long(key, value);
                    if (term < 0)
                    {
                        throw ParseFailure(key, $"primary term must be non negative. got [{term}]");
                    }

                    options = options with { IfPrimaryTerm = term == 0 ? null : term };
                    break;
                case "script" or "scripted_upsert":
                    throw EngineException.IllegalArgument($"[{key}] is not supported by the embedded engine: updates take a partial [doc]");
                default:
                    throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] unknown field [{key}]");
            }
        }

        return (new UpdateRequest { Doc = doc, Upsert = upsert, DocAsUpsert = docAsUpsert, DetectNoop = detectNoop }, source, options);
    }

    /// <summary>
    /// A long as Elasticsearch's object parser reads one: a number (a fraction is truncated) or a string holding one;
    /// any other token is refused by its type.
    /// </summary>
    private static long Long(string key, JsonNode? value)
    {
        switch (value?.GetValueKind())
        {
            case JsonValueKind.Number when value.AsValue().TryGetValue<long>(out var whole):
                return whole;
            case JsonValueKind.Number when value.AsValue().TryGetValue<double>(out var fraction) && fraction is >= long.MinValue and < long.MaxValue:
                return (long)fraction;
            case JsonValueKind.String when long.TryParse(value.GetValue<string>(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.Number or JsonValueKind.String:
                throw ParseFailure(key, $"[{key}] is not a valid long");
            default:
                throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] {key} doesn't support values of type: {TokenName(value)}");
        }
    }

    /// <summary>Elasticsearch's object parser wraps what the field's setter threw: the wrapper is the root cause.</summary>
    private static EngineException ParseFailure(string key, string cause) =>
        new(400, "x_content_parse_exception", $"[UpdateRequest] failed to parse field [{key}]",
            extra: new JsonObject { ["caused_by"] = new JsonObject { ["type"] = "illegal_argument_exception", ["reason"] = cause } });

    private static string TokenName(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "VALUE_NULL",
        JsonValueKind.Object => "START_OBJECT",
        JsonValueKind.Array => "START_ARRAY",
        _ => "VALUE_BOOLEAN",
    };

    private static JsonObject Object(string key, JsonNode? value) =>
        value as JsonObject ?? throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] failed to parse field [{key}]: expected an object");

    private static bool Boolean(string key, JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.GetValue<string>() is "true" or "false" => value.GetValue<string>() == "true",
        _ => throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] failed to parse field [{key}]: expected a boolean"),
    };
}
