using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// Writes the first-stage bodies (docs/search.md "Two phases", step 1): the user's body without <c>ext.rerank</c>, with
/// <c>from: 0</c>, the first-stage <c>size</c> and the stored rerank fields; every other key as the user wrote it.
/// </summary>
internal static class FirstStageBodyBuilder
{
    /// <summary>
    /// Two phases: the user's fetch options (<see cref="SearchBodyKeys.FetchOptions"/>) dropped, <c>_source: false</c>,
    /// and only the rerank fields requested.
    /// </summary>
    /// <param name="root">The user's body, an object, or null when the request had none.</param>
    /// <param name="size">The first stage's size.</param>
    /// <param name="rerankFields">The stored fields a rerank reads.</param>
    public static byte[] TwoPhase(JsonElement? root, int size, RerankFetchFields rerankFields) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        CopyExcept(writer, root, name => name is SearchBodyKeys.From or SearchBodyKeys.Size || SearchBodyKeys.FetchOptions.Contains(name));
        writer.WriteNumber(SearchBodyKeys.From, 0);
        writer.WriteNumber(SearchBodyKeys.Size, size);
        writer.WriteBoolean(SearchBodyKeys.Source, false);
        WriteList(writer, SearchBodyKeys.DocValueFields, default, rerankFields.DocValueFields);
        WriteList(writer, SearchBodyKeys.Fields, default, rerankFields.Fields);
        writer.WriteEndObject();
    });

    /// <summary>
    /// One phase: the user's fetch options kept, the rerank fields appended to the user's <c>docvalue_fields</c> and
    /// <c>fields</c> where the same option does not already name them (or match them with a pattern).
    /// </summary>
    /// <param name="root">The user's body, an object whose <c>fields</c> and <c>docvalue_fields</c> are arrays when present, or null.</param>
    /// <param name="size">The first stage's size.</param>
    /// <param name="rerankFields">The stored fields a rerank reads.</param>
    /// <param name="added">The rerank fields that neither of the user's options asked for: the hits' <c>fields</c> get them only because of the rerank.</param>
    public static byte[] SinglePhase(JsonElement? root, int size, RerankFetchFields rerankFields, out IReadOnlyList<string> added)
    {
        var userDocValues = Option(root, SearchBodyKeys.DocValueFields);
        var userFields = Option(root, SearchBodyKeys.Fields);
        var requested = Requested(userDocValues).Concat(Requested(userFields)).ToList();
        added = rerankFields.All.Where(path => !RerankFetchFields.IsCovered(path, requested)).Distinct(StringComparer.Ordinal).ToList();

        return JsonBody.Write(writer =>
        {
            writer.WriteStartObject();
            CopyExcept(writer, root, name => name is SearchBodyKeys.From or SearchBodyKeys.Size or SearchBodyKeys.DocValueFields or SearchBodyKeys.Fields);
            writer.WriteNumber(SearchBodyKeys.From, 0);
            writer.WriteNumber(SearchBodyKeys.Size, size);
            WriteList(writer, SearchBodyKeys.DocValueFields, userDocValues, rerankFields.DocValueFields);
            WriteList(writer, SearchBodyKeys.Fields, userFields, rerankFields.Fields);
            writer.WriteEndObject();
        });
    }

    /// <summary>Copies the properties of <paramref name="root"/> that <paramref name="drop"/> does not name; <c>ext</c> loses <c>rerank</c>.</summary>
    public static void CopyExcept(Utf8JsonWriter writer, JsonElement? root, Func<string, bool> drop)
    {
        if (root is not { } body)
        {
            return;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (property.Name == SearchBodyKeys.Ext && property.Value.ValueKind == JsonValueKind.Object)
            {
                JsonBody.WriteExtWithoutRerank(writer, property);
            }
            else if (!drop(property.Name))
            {
                property.WriteTo(writer);
            }
        }
    }

    private static JsonElement Option(JsonElement? root, string name) =>
        root is { } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : default;

    private static List<string> Requested(JsonElement option) =>
        option.ValueKind == JsonValueKind.Array ? RerankFetchFields.Requested(option) : [];

    // The user's entries as written, then the rerank's that the user's entries do not already cover; nothing when both are empty.
    private static void WriteList(Utf8JsonWriter writer, string name, JsonElement user, IReadOnlyList<string> rerank)
    {
        var userNames = Requested(user);
        var extra = rerank.Where(path => !RerankFetchFields.IsCovered(path, userNames)).ToList();
        if (user.ValueKind != JsonValueKind.Array && extra.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        if (user.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in user.EnumerateArray())
            {
                entry.WriteTo(writer);
            }
        }

        foreach (var path in extra)
        {
            writer.WriteStringValue(path);
        }

        writer.WriteEndArray();
    }
}
