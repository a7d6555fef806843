using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The kind of one <c>_bulk</c> item.</summary>
internal enum BulkAction
{
    Index,
    Create,
    Update,
    Delete,
}

/// <summary>One parsed <c>_bulk</c> item: its action line and, except for delete, its source line.</summary>
/// <param name="Action">index, create, update or delete.</param>
/// <param name="Index">The target index (the item's <c>_index</c> or the path's).</param>
/// <param name="Id">The item's <c>_id</c>; null lets index/create generate one.</param>
/// <param name="Options">The item's <c>if_seq_no</c> / <c>if_primary_term</c>.</param>
/// <param name="Source">index/create: the document. Null when the source line was not valid JSON (see <paramref name="SourceError"/>).</param>
/// <param name="Update">update: the parsed body.</param>
/// <param name="UpdateSource">update: the action line's <c>_source</c> filter of the item's answer, when given.</param>
/// <param name="SourceError">A source line that is not a JSON object fails only its own item, as in Elasticsearch.</param>
/// <param name="RequireAlias">The item's <c>require_alias</c>; null when the item does not say (the request's applies).</param>
/// <param name="UpdateBodySource">update: the body's <c>_source</c>, which applies only when neither the action line nor
/// the URL gives one (Elasticsearch parses the body, then sets the action line's or the URL's over it).</param>
internal sealed record BulkOperation(
    BulkAction Action,
    string Index,
    string? Id,
    WriteOptions Options,
    JsonObject? Source,
    UpdateRequest? Update,
    SourceSpec? UpdateSource,
    EngineException? SourceError,
    bool? RequireAlias = null,
    SourceSpec? UpdateBodySource = null)
{
    public string ActionName => Action switch
    {
        BulkAction.Index => "index",
        BulkAction.Create => "create",
        BulkAction.Update => "update",
        _ => "delete",
    };
}
