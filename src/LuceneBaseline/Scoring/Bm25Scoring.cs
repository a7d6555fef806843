namespace Rerank.LuceneBaseline.Scoring;

/// <summary>Which BM25 arithmetic scores an index. Both rank alike up to near-ties; their score values differ.</summary>
public enum Bm25Scoring
{
    /// <summary>
    /// Lucene.Net 4.8's <c>BM25Similarity</c>: idf and average length over <c>maxDoc</c>, <c>1 / sqrt(length)</c> norms.
    /// The baseline's default, whose SciFact figure is compared with BEIR's.
    /// </summary>
    Lucene,

    /// <summary>Elasticsearch 8 and 9's default BM25 (<see cref="ElasticsearchBm25Similarity"/>): the same scores as a
    /// one-shard Elasticsearch index with the same analysis.</summary>
    Elasticsearch,
}
