using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>What a BM25 evaluation measured, with the run it measured.</summary>
public sealed record Bm25EvaluationResult
{
    public required Bm25EvaluationSettings Settings { get; init; }

    /// <summary>The collection's folder name.</summary>
    public required string Dataset { get; init; }

    public required int DocumentCount { get; init; }

    public required IndexOpenStatus IndexStatus { get; init; }

    public required string IndexPath { get; init; }

    /// <summary>Time to build the index; zero when it was reused.</summary>
    public required TimeSpan IndexBuildTime { get; init; }

    /// <summary>Number of queries searched (every query of the split).</summary>
    public required int QueriesSearched { get; init; }

    /// <summary>Wall time to search every query of the split.</summary>
    public required TimeSpan SearchTime { get; init; }

    /// <summary>Rankings by query id, best first.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Run { get; init; }

    public required EvaluationReport Report { get; init; }
}
