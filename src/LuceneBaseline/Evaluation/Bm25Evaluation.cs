using System.Diagnostics;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;

namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>Evaluates BM25 on a BEIR collection: load, index (or reuse), search every query, score the run.</summary>
public static class Bm25Evaluation
{
    /// <remarks>
    /// 1. Open the collection: queries and qrels of the split are read and checked against each other.
    /// 2. Open or build the index (the corpus is streamed and validated only when a build is needed).
    /// 3. Check that every judged document is in the index, so a qrel naming an unknown document is an error.
    /// 4. Search all queries in parallel and evaluate the run.
    /// </remarks>
    public static Bm25EvaluationResult Run(Bm25EvaluationSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.TopK, 1, nameof(settings.TopK));

        // 1.
        var dataset = BeirDataset.Open(settings.DataDirectory, settings.Split);

        // 2.
        using var index = Bm25Index.OpenOrBuild(settings.IndexDirectory, dataset.CorpusPath, dataset.ReadCorpus(), settings.Index);

        // 3. (BeirDataset.Open has already checked the qrels' queries.)
        dataset.Qrels.Validate(index.DocumentIds, queryIds: null);

        // 4.
        var stopwatch = Stopwatch.StartNew();
        var run = index.SearchAll(dataset.Queries, settings.TopK, settings.Mode, settings.MaxDegreeOfParallelism, cancellationToken);
        var searchTime = stopwatch.Elapsed;
        var report = new RetrievalEvaluator(settings.Cutoffs).Evaluate(run, dataset.Qrels.ByQuery);

        return new Bm25EvaluationResult
        {
            Settings = settings,
            Dataset = dataset.Name,
            DocumentCount = index.DocumentCount,
            IndexStatus = index.Status,
            IndexPath = index.IndexPath,
            IndexBuildTime = index.BuildTime,
            QueriesSearched = dataset.Queries.Count,
            SearchTime = searchTime,
            Run = run,
            Report = report,
        };
    }
}
