namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>How a single document write is checked.</summary>
internal sealed record WriteOptions
{
    public static WriteOptions Default { get; } = new();

    public OpType OpType { get; init; } = OpType.Index;

    /// <summary><c>if_seq_no</c>: the write succeeds only if the document's current <c>_seq_no</c> is this.</summary>
    public long? IfSeqNo { get; init; }

    /// <summary><c>if_primary_term</c>: goes with <see cref="IfSeqNo"/>.</summary>
    public long? IfPrimaryTerm { get; init; }
}
