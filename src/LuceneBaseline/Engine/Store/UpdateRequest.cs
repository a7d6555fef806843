using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The body of <c>_update</c> (partial document; scripts are not supported).</summary>
internal sealed record UpdateRequest
{
    /// <summary>The partial document merged into the current source.</summary>
    public JsonObject? Doc { get; init; }

    /// <summary>Use <see cref="Doc"/> as the new document when none exists.</summary>
    public bool DocAsUpsert { get; init; }

    /// <summary>The document to create when none exists (ignored when <see cref="DocAsUpsert"/>).</summary>
    public JsonObject? Upsert { get; init; }

    /// <summary>Answer <c>noop</c> without writing when the merge changes nothing. Default true.</summary>
    public bool DetectNoop { get; init; } = true;
}
