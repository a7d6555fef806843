namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The <c>op_type</c> of an index request.</summary>
internal enum OpType
{
    /// <summary>Create or replace.</summary>
    Index,

    /// <summary>Create only; an existing id is a version conflict.</summary>
    Create,
}
