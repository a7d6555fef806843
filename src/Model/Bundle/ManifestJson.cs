using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Model.Bundle;

/// <summary>The one JSON form of a manifest: camelCase names, enums as camelCase strings, indented, dictionaries in key order.</summary>
public static class ManifestJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        RespectRequiredConstructorParameters = true,

        // A null where the type allows none ("backbone": null) is a JsonException naming the field, not a null the
        // validation would dereference.
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The manifest as UTF-8 JSON with "\n" line ends; the same manifest always gives the same bytes.</summary>
    public static byte[] Serialize(ModelManifest manifest)
    {
        var sorted = manifest with
        {
            FileHashes = new SortedDictionary<string, string>(manifest.FileHashes.ToDictionary(), StringComparer.Ordinal),
            Provenance = manifest.Provenance with
            {
                Losses = Sort(manifest.Provenance.Losses),
                Metrics = Sort(manifest.Provenance.Metrics),
            },
        };
        var text = JsonSerializer.Serialize(sorted, Options).ReplaceLineEndings("\n") + "\n";
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    public static ModelManifest Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<ModelManifest>(utf8, Options) ?? throw new JsonException("The manifest is null.");

    private static SortedDictionary<string, double>? Sort(IReadOnlyDictionary<string, double>? values) =>
        values is null ? null : new SortedDictionary<string, double>(values.ToDictionary(), StringComparer.Ordinal);
}
