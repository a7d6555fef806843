namespace Rerank.LuceneBaseline.Indexing;

/// <summary>What <see cref="Bm25Index.OpenOrBuild"/> found on disk.</summary>
public enum IndexOpenStatus
{
    /// <summary>The index on disk matched the corpus and settings and was opened as it was.</summary>
    Reused,

    /// <summary>No index was there: a new one was built.</summary>
    Built,

    /// <summary>An index was there but for another corpus content or other settings: it was replaced.</summary>
    Rebuilt,
}
