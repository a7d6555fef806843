using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>JSON comparisons for responses: objects compare as unordered maps, numbers by value.</summary>
internal static class SearchAssert
{
    public static void Json(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(Normalize(expectedNode), Normalize(actual)), $"expected {expectedNode?.ToJsonString()}\nactual   {actual?.ToJsonString()}");
    }

    /// <summary>The error's type, reason and status as Elasticsearch's error body has them.</summary>
    public static EngineException Error(Action action, int status, string type, string reason)
    {
        var error = Assert.Throws<EngineException>(action);
        Assert.Equal((status, type, reason), (error.Status, error.Type, error.Reason));
        return error;
    }

    /// <summary>A search phase failure wrapping a single root cause.</summary>
    public static EngineException PhaseError(Action action, string rootType, string rootReason, string phase = "query")
    {
        var error = Assert.Throws<EngineException>(action);
        Assert.Equal(("search_phase_execution_exception", "all shards failed", 400), (error.Type, error.Reason, error.Status));
        Assert.Equal(phase, error.Extra!["phase"]!.GetValue<string>());
        var root = Assert.Single(error.Extra["root_cause"]!.AsArray())!;
        Assert.Equal((rootType, rootReason), (root["type"]!.GetValue<string>(), root["reason"]!.GetValue<string>()));
        return error;
    }

    /// <summary>A JSON number's value, whatever CLR type made it.</summary>
    public static double Number(JsonNode? node) => double.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Numbers become doubles so that 1, 1.0 and 1L compare equal.</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Normalize)]),
        _ when node.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
