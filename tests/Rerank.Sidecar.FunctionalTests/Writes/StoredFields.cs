using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>Reads the stored fields of docs/index-config.md (default paths, nested objects) from a source.</summary>
internal static class StoredFields
{
    public static string? Projection(JsonObject source) => (string?)source["rerank"]?["projection"];

    public static string? Model(JsonObject source) => (string?)source["rerank"]?["model"];

    public static string? TextHash(JsonObject source) => (string?)source["rerank"]?["text_hash"];

    public static string? Stale(JsonObject source) => (string?)source["rerank"]?["stale"];

    /// <summary>
    /// Asserts <paramref name="source"/> carries current vectors of <paramref name="text"/>: the float16 encoding of
    /// <paramref name="projection"/> (computed independently, one text at a time), the model id, the text's hash and
    /// no stale mark.
    /// </summary>
    public static void AssertCurrent(JsonObject source, string text, float[] projection, string modelId)
    {
        Assert.Equal(ProjectionCodec.Encode(projection, ProjectionEncoding.Float16).GetValue<string>(), Projection(source));
        Assert.Equal(modelId, Model(source));
        Assert.Equal(WritePathStack.Sha256(text), TextHash(source));
        Assert.Null(source["rerank"]!["stale"]);
    }
}
