using Lucene.Net.Search.Similarities;

namespace Rerank.LuceneBaseline.Scoring;

/// <summary>Creates the Lucene similarity of a <see cref="Bm25Scoring"/>, and names them on command lines.</summary>
public static class Bm25Similarities
{
    /// <summary>
    /// The similarity for <paramref name="scoring"/> with the given parameters; set it on the writer and every searcher.
    /// <paramref name="discountOverlaps"/> (default true, both libraries' default) leaves stacked tokens out of lengths.
    /// </summary>
    public static Similarity Create(Bm25Scoring scoring, float k1, float b, bool discountOverlaps = true) => scoring switch
    {
        Bm25Scoring.Lucene => new BM25Similarity(k1, b) { DiscountOverlaps = discountOverlaps },
        Bm25Scoring.Elasticsearch => new ElasticsearchBm25Similarity(k1, b, discountOverlaps),
        _ => throw new ArgumentOutOfRangeException(nameof(scoring), scoring, "unknown BM25 scoring"),
    };

    /// <summary>The command-line and JSON name: <c>lucene</c> or <c>elasticsearch</c>.</summary>
    public static string Name(Bm25Scoring scoring) => scoring switch
    {
        Bm25Scoring.Lucene => "lucene",
        Bm25Scoring.Elasticsearch => "elasticsearch",
        _ => throw new ArgumentOutOfRangeException(nameof(scoring), scoring, "unknown BM25 scoring"),
    };

    /// <summary>Parses <see cref="Name"/>'s output, ignoring case; false for anything else.</summary>
    public static bool TryParse(string name, out Bm25Scoring scoring)
    {
        foreach (var candidate in Enum.GetValues<Bm25Scoring>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                scoring = candidate;
                return true;
            }
        }

        scoring = default;
        return false;
    }
}
