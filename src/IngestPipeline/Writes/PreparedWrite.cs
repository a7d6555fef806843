using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Writes;

/// <summary>A parsed write body of an enabled index, with the passages it needs encoded (none when only marked stale).</summary>
internal sealed class PreparedWrite(JsonObject root, List<VectorTarget> targets)
{
    public JsonObject Root { get; } = root;

    public List<VectorTarget> Targets { get; } = targets;
}
