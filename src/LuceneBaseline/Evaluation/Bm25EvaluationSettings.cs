using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>One BM25 evaluation of a BEIR collection: what to index, where, and how to search.</summary>
public sealed record Bm25EvaluationSettings
{
    /// <summary>The BEIR folder (corpus.jsonl, queries.jsonl, qrels/).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The qrels split to evaluate. Default <c>test</c>.</summary>
    public string Split { get; init; } = "test";

    /// <summary>Documents retrieved per query. Default 100.</summary>
    public int TopK { get; init; } = 100;

    /// <summary>Where the index lives; reused across runs while the corpus and settings are unchanged.</summary>
    public required string IndexDirectory { get; init; }

    /// <summary>Fields, analyzer and BM25 parameters.</summary>
    public Bm25IndexOptions Index { get; init; } = new();

    /// <summary>Flat (default) or multi-field matching.</summary>
    public Bm25SearchMode Mode { get; init; } = Bm25SearchMode.Flat;

    /// <summary>Queries searched at once; -1 (default) uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// The metric cutoffs: 1, 3, 5, 10 and 100 as BEIR reports, plus <see cref="TopK"/> itself, plus 1000 when
    /// at least that many documents are retrieved. A cutoff above <see cref="TopK"/> sees only the retrieved documents.
    /// </summary>
    public IReadOnlyList<int> Cutoffs
    {
        get
        {
            var cutoffs = new SortedSet<int> { 1, 3, 5, 10, 100, TopK };
            if (TopK >= 1000)
            {
                cutoffs.Add(1000);
            }

            return [.. cutoffs];
        }
    }
}
