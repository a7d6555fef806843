namespace Rerank.IngestPipeline.Bulk;

internal enum BulkActionKind
{
    Index,
    Create,
    Update,
    Delete,
}
