using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>
/// Classifies one document under its index's config (the definition in docs/index-config.md; precedence in
/// docs/ingest.md).
/// </summary>
/// <remarks>
/// 1. A stale mark (any non-empty string in the stale field) is <see cref="DocumentState.Stale"/>, whatever else is stored.
/// 2. No projection, or no model id, is <see cref="DocumentState.Missing"/>.
/// 3. A model id other than the configured one is <see cref="DocumentState.OtherModel"/>.
/// 4. A stored hash other than the hash of the present text (or none) is <see cref="DocumentState.Stale"/>.
/// 5. Otherwise <see cref="DocumentState.Current"/>.
/// </remarks>
internal static class DocumentClassifier
{
    /// <param name="source">The document's <c>_source</c> (at least the text fields and the stored model, hash and stale fields).</param>
    /// <param name="hasProjection">Whether the document has a projection (the scan asks the cluster, so the vector is never fetched).</param>
    /// <param name="config">The index's config.</param>
    /// <param name="text">The passage text of the document (<see cref="PassageText.Compose"/>).</param>
    public static DocumentState Classify(JsonObject source, bool hasProjection, RerankIndexConfig config, out string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        text = PassageText.Compose(source, config);

        // Step 1.
        if (StringAt(source, config.Fields.Stale) is { Length: > 0 })
        {
            return DocumentState.Stale;
        }

        // Step 2.
        var model = StringAt(source, config.Fields.Model);
        if (!hasProjection || string.IsNullOrEmpty(model))
        {
            return DocumentState.Missing;
        }

        // Steps 3 to 5.
        if (!string.Equals(model, config.ModelId, StringComparison.Ordinal))
        {
            return DocumentState.OtherModel;
        }

        return string.Equals(StringAt(source, config.Fields.TextHash), PassageText.Hash(text), StringComparison.Ordinal)
            ? DocumentState.Current
            : DocumentState.Stale;
    }

    private static string? StringAt(JsonObject source, string path) =>
        SourcePath.Get(source, path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
