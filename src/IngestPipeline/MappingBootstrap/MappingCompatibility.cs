using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.MappingBootstrap;

/// <summary>
/// Whether an index's existing mapping can take <see cref="RerankMapping.Properties"/> without a conflict, and what
/// differs where it cannot (docs/ingest.md).
/// </summary>
/// <remarks>
/// 1. Each stored field that is already mapped must have the type and the parameters that cannot change in
///    Elasticsearch (<c>dims</c>, <c>index</c>, <c>similarity</c> of a <c>dense_vector</c>; <c>doc_values</c> of a
///    <c>binary</c>; <c>index</c>, <c>doc_values</c> of a <c>keyword</c>); an object on its path must be an object.
/// 2. Each text field that is already mapped must be a string type (<c>text</c>, <c>keyword</c> and their kin); an
///    object or a number, date, vector ... is refused, as its value would not be the passage text.
/// 3. Unmapped fields are fine: the mapping update adds the stored ones, and text fields are mapped when documents come.
/// </remarks>
internal static class MappingCompatibility
{
    private static readonly HashSet<string> s_textTypes =
        ["text", "keyword", "match_only_text", "wildcard", "constant_keyword", "search_as_you_type"];

    /// <summary>Every difference, each naming the field, what it is and what the config needs; empty when compatible.</summary>
    /// <param name="mappings">The index's <c>mappings</c> object, as <c>GET /{index}/_mapping</c> shows it.</param>
    /// <param name="config">The config to install.</param>
    /// <param name="dim">d, the embedding width.</param>
    /// <param name="projectionDim">H, the projection width.</param>
    public static IReadOnlyList<string> Differences(JsonElement mappings, RerankIndexConfig config, int dim, int projectionDim)
    {
        ArgumentNullException.ThrowIfNull(config);
        var wanted = RerankMapping.Properties(config, dim, projectionDim);
        var differences = new List<string>();

        // Step 1.
        foreach (var path in config.Fields.All())
        {
            var want = Find(wanted, path)!;
            switch (Lookup(mappings, path, out var blocker))
            {
                case Found.Blocked:
                    differences.Add($"[{blocker.Path}] is mapped as [{Describe(blocker.Mapping)}], so it cannot hold the object field [{path}]");
                    break;
                case Found.Field:
                    var have = blocker.Mapping;
                    var problem = Compare(have, want);
                    if (problem is not null)
                    {
                        differences.Add($"[{path}] is mapped as [{Describe(have)}] but the config needs [{Describe(want)}]{problem}");
                    }

                    break;
                default:
                    break;
            }
        }

        // Step 2.
        foreach (var field in config.TextFields)
        {
            if (Lookup(mappings, field, out var found) == Found.Field)
            {
                var type = TypeOf(found.Mapping);
                if (!s_textTypes.Contains(type))
                {
                    differences.Add($"text field [{found.Path}] is mapped as [{Describe(found.Mapping)}]; a text field must be a string type ({string.Join(", ", s_textTypes)})");
                }
            }
        }

        return differences;
    }

    private enum Found
    {
        None,
        Field,
        Blocked,
    }

    /// <summary>
    /// Walks <c>properties</c> along <paramref name="path"/>: <see cref="Found.Field"/> with the field's mapping,
    /// <see cref="Found.Blocked"/> with a non-object field on the way, or <see cref="Found.None"/>.
    /// </summary>
    private static Found Lookup(JsonElement mappings, string path, out (string Path, JsonElement Mapping) found)
    {
        found = default;
        var current = mappings;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            if (current.ValueKind != JsonValueKind.Object
                || !current.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object
                || !properties.TryGetProperty(segments[i], out var mapping))
            {
                return Found.None;
            }

            found = (string.Join('.', segments, 0, i + 1), mapping);
            if (i == segments.Length - 1)
            {
                return Found.Field;
            }

            if (TypeOf(mapping) is not ("object" or "nested"))
            {
                return Found.Blocked;
            }

            current = mapping;
        }

        return Found.None;
    }

    /// <summary>Null when <paramref name="have"/> can take <paramref name="want"/>; otherwise why not (starting with "; ").</summary>
    private static string? Compare(JsonElement have, JsonObject want)
    {
        var type = (string)want["type"]!;
        if (TypeOf(have) != type)
        {
            return "";
        }

        var differences = new List<string>();
        void Check(string parameter, string? haveValue, string? wantValue)
        {
            if (!string.Equals(haveValue, wantValue, StringComparison.Ordinal))
            {
                differences.Add($"{parameter} {haveValue ?? "unset"} instead of {wantValue ?? "unset"}");
            }
        }

        switch (type)
        {
            case "dense_vector":
                Check("dims", Parameter(have, "dims", null), want["dims"]!.ToJsonString());
                var index = Parameter(have, "index", "true");
                Check("index", index, want["index"]!.ToJsonString());
                if (want["similarity"] is { } similarity && index == "true")
                {
                    Check("similarity", Parameter(have, "similarity", "cosine"), (string)similarity!);
                }

                break;
            case "binary":
                Check("doc_values", Parameter(have, "doc_values", "false"), "true");
                break;
            case "keyword":
                Check("index", Parameter(have, "index", "true"), "true");
                Check("doc_values", Parameter(have, "doc_values", "true"), "true");
                break;
            default:
                break;
        }

        return differences.Count == 0 ? null : "; " + string.Join(", ", differences);
    }

    private static string TypeOf(JsonElement mapping) =>
        mapping.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "object";

    private static string? Parameter(JsonElement mapping, string name, string? fallback) =>
        !mapping.TryGetProperty(name, out var value) ? fallback : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.GetRawText(),
            _ => value.GetRawText(),
        };

    private static string Describe(JsonElement mapping)
    {
        var type = TypeOf(mapping);
        var parts = new List<string> { type };
        foreach (var name in (string[])["dims", "index", "similarity", "doc_values"])
        {
            if (Parameter(mapping, name, null) is { } value)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }

        return string.Join(", ", parts);
    }

    private static string Describe(JsonObject mapping)
    {
        using var document = JsonDocument.Parse(mapping.ToJsonString());
        return Describe(document.RootElement);
    }

    private static JsonObject? Find(JsonObject properties, string path)
    {
        var segments = path.Split('.');
        var current = properties;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = (JsonObject)current[segments[i]]!["properties"]!;
        }

        return current[segments[^1]] as JsonObject;
    }
}
