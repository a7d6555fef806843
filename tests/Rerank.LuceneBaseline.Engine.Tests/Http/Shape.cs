using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// Compares a response with a recorded Elasticsearch response by shape: the same keys at every level (none missing,
/// none extra) and the same kind of value (string, number, boolean, null, object, array). Values are checked by
/// the tests themselves, since ids, timings and uuids differ from the recording.
/// </summary>
/// <remarks>
/// Arrays: a recorded array of one element is a template every element must fit; otherwise elements are compared
/// pairwise and the lengths must agree. A recorded object whose only key is <c>"*"</c> accepts any keys whose
/// values fit the template under it (for maps keyed by user data: index names, field names). A recorded string
/// <c>"&lt;any&gt;"</c> accepts any value (a document's <c>_source</c>).
/// </remarks>
public static class Shape
{
    /// <summary>The recorded response in Recorded/<paramref name="name"/>.json (copied next to the test assembly).</summary>
    public static JsonNode Recorded(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Http", "Recorded", name + ".json");
        return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            ?? throw new InvalidOperationException($"{path} holds JSON null.");
    }

    public static void AssertMatches(string recordedName, JsonNode actual) => AssertMatches(Recorded(recordedName), actual, "$");

    public static void AssertMatches(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonValue any && any.GetValueKind() == JsonValueKind.String && any.GetValue<string>() == "<any>")
        {
            return;
        }

        var expectedKind = Kind(expected);
        var actualKind = Kind(actual);
        Assert.True(expectedKind == actualKind, $"{path}: expected {expectedKind}, got {actualKind} ({actual?.ToJsonString()})");
        switch (expected)
        {
            case JsonObject recorded when recorded.Count == 1 && recorded.ContainsKey("*"):
                foreach (var (key, value) in actual!.AsObject())
                {
                    AssertMatches(recorded["*"], value, $"{path}.{key}");
                }

                break;
            case JsonObject recorded:
            {
                var got = actual!.AsObject();
                var missing = recorded.Select(p => p.Key).Where(k => !got.ContainsKey(k)).ToList();
                var extra = got.Select(p => p.Key).Where(k => !recorded.ContainsKey(k)).ToList();
                Assert.True(missing.Count == 0 && extra.Count == 0,
                    $"{path}: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", extra)}] in {got.ToJsonString()}");
                foreach (var (key, value) in recorded)
                {
                    AssertMatches(value, got[key], $"{path}.{key}");
                }

                break;
            }

            case JsonArray recorded:
            {
                var got = actual!.AsArray();
                if (recorded.Count == 1)
                {
                    for (var i = 0; i < got.Count; i++)
                    {
                        AssertMatches(recorded[0], got[i], $"{path}[{i}]");
                    }
                }
                else
                {
                    Assert.True(recorded.Count == got.Count, $"{path}: expected {recorded.Count} elements, got {got.Count}");
                    for (var i = 0; i < got.Count; i++)
                    {
                        AssertMatches(recorded[i], got[i], $"{path}[{i}]");
                    }
                }

                break;
            }
        }
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
    };
}
