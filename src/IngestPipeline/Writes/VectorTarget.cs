using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.IngestPipeline.Writes;

/// <summary>
/// An object in a write that gets the stored fields of one passage: a whole source (an index/create source, an
/// update's <c>upsert</c>) or an update's <c>doc</c> that sets every text field (<see cref="IsPartial"/>).
/// </summary>
internal sealed class VectorTarget(JsonObject target, RerankIndexConfig config, string text, bool isPartial)
{
    public JsonObject Target { get; } = target;

    public RerankIndexConfig Config { get; } = config;

    public string Text { get; } = text;

    /// <summary>An update's <c>doc</c>: it merges into the stored source, so a field is cleared by setting it to null.</summary>
    public bool IsPartial { get; } = isPartial;

    public EncodeOutcome Outcome { get; set; }
}
