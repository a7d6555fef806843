namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>One terms bucket of one index (or merged over indices).</summary>
internal sealed class TermsBucket(TermKey key)
{
    public TermKey Key { get; } = key;

    public long DocCount { get; set; }

    /// <summary>The upper bound of this bucket's missed count (<c>show_term_doc_count_error</c>).</summary>
    public long DocCountError { get; set; }

    /// <summary>The documents of the bucket (one index), for its sub-aggregations; null once computed.</summary>
    public DocSet? Docs { get; set; }

    public Dictionary<string, AggregationPartial> Subs { get; set; } = [];
}
