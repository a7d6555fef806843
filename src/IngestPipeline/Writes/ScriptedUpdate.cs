namespace Rerank.IngestPipeline.Writes;

/// <summary>
/// A scripted update of an enabled index that went through the write path: its effect on the text is unknown, so the
/// host marks the document stale (<c>script_update</c>) once the cluster has answered (docs/write-path.md).
/// </summary>
/// <param name="Index">The index or alias written to.</param>
/// <param name="Id">The document id.</param>
/// <param name="Routing">The write's routing, or null.</param>
/// <param name="StaleField">The index's stale field (dotted path).</param>
public sealed record ScriptedUpdate(string Index, string Id, string? Routing, string StaleField);
