namespace Rerank.IngestPipeline.Writes;

/// <summary>What a single-document write sends: a whole source (<c>_doc</c>, <c>_create</c>) or an update body (<c>_update</c>).</summary>
public enum DocumentWriteKind
{
    /// <summary><c>PUT|POST /{index}/_doc[/{id}]</c> or a bulk <c>index</c> item: the body is the document's source.</summary>
    Index,

    /// <summary><c>PUT|POST /{index}/_create/{id}</c> or a bulk <c>create</c> item: the body is the document's source.</summary>
    Create,

    /// <summary><c>POST /{index}/_update/{id}</c> or a bulk <c>update</c> item: <c>doc</c>, <c>script</c>, <c>upsert</c>, <c>doc_as_upsert</c>.</summary>
    Update,
}
