using System.Diagnostics;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Search;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>The offline path of <c>eval rerank</c>, and the evaluation both paths share.</summary>
internal static class RerankEvaluation
{
    /// <remarks>
    /// 1. The first stage: BM25 exactly as <c>eval bm25</c> runs it with <c>--top-k</c> = window, or the first window
    ///    of each query's candidates in <paramref name="candidatesPath"/> (a TREC run; queries outside the split ignored).
    /// 2. Rerank every window in process (<see cref="OfflineReranker"/>).
    /// 3. Evaluate both runs at the cutoffs of <c>eval bm25</c>.
    /// </remarks>
    public static RerankEvaluationResult Run(
        Bm25EvaluationSettings bm25, string? candidatesPath, StudentModel model, RerankSettings settings, TextWriter progress, CancellationToken cancellationToken) =>
        Run(bm25, candidatesPath, new OfflineReranker(model, settings, progress), settings, progress, cancellationToken);

    /// <summary>As the student's <see cref="Run(Bm25EvaluationSettings, string?, StudentModel, RerankSettings, TextWriter, CancellationToken)"/>, with any reranker in step 2 (a baseline).</summary>
    public static RerankEvaluationResult Run(
        Bm25EvaluationSettings bm25, string? candidatesPath, IWindowReranker reranker, RerankSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bm25);
        ArgumentNullException.ThrowIfNull(reranker);

        // 1.
        var dataset = BeirDataset.Open(bm25.DataDirectory, bm25.Split);
        var stopwatch = Stopwatch.StartNew();
        IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage;
        string source;
        if (candidatesPath is null)
        {
            progress.WriteLine($"first stage: BM25 top {bm25.TopK} for {dataset.Queries.Count} queries");
            firstStage = Bm25Evaluation.Run(bm25, cancellationToken).Run;
            source = "BM25";
        }
        else
        {
            firstStage = Candidates(candidatesPath, dataset, settings.Window);
            source = candidatesPath;
        }

        var firstStageTime = stopwatch.Elapsed;

        // 2.
        var reranked = reranker.Rerank(dataset, firstStage, source, cancellationToken);

        // 3.
        var (bm25Report, rerankReport) = Evaluate(firstStage, reranked, dataset.Qrels, settings.Window);
        return new RerankEvaluationResult
        {
            Dataset = dataset.Name,
            Split = dataset.Split,
            Settings = settings,
            ModelId = reranker.ModelId,
            FirstStage = candidatesPath is null ? "bm25" : "candidates",
            FirstStageDetail = candidatesPath,
            Bm25 = bm25Report,
            Rerank = rerankReport,
            FirstStageRun = firstStage,
            RerankRun = reranked,
            QueriesSearched = dataset.Queries.Count,
            PassagesEncoded = reranker.PassagesEncoded,
            FirstStageTime = firstStageTime,
            EncodeTime = reranker.EncodeTime,
            ScoreTime = reranker.ScoreTime,
        };
    }

    /// <summary>
    /// Evaluates the first stage by its scores (ties as trec_eval breaks them, as <c>eval bm25</c> does) and the
    /// reranked run in its order (the order a client sees, whatever ties its scores have).
    /// </summary>
    public static (EvaluationReport FirstStage, EvaluationReport Rerank) Evaluate(
        IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage,
        IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> reranked,
        Qrels qrels,
        int window)
    {
        var evaluator = new RetrievalEvaluator(Cutoffs(window));
        return (evaluator.Evaluate(firstStage, qrels.ByQuery), evaluator.Evaluate(InRankOrder(reranked), qrels.ByQuery));
    }

    /// <summary>The cutoffs of <c>eval bm25 --top-k</c> <paramref name="window"/>.</summary>
    public static IReadOnlyList<int> Cutoffs(int window) =>
        new Bm25EvaluationSettings { DataDirectory = "", IndexDirectory = "", TopK = window }.Cutoffs;

    /// <summary>Each ranking with scores n, n-1, ..., 1 in its order, so evaluation keeps the order as it is.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> InRankOrder(IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> run) =>
        run.ToDictionary(
            q => q.Key,
            q => (IReadOnlyList<ScoredDocument>)[.. q.Value.Select((d, i) => new ScoredDocument(d.DocumentId, q.Value.Count - i))],
            StringComparer.Ordinal);

    /// <summary>
    /// The first <paramref name="window"/> candidates of each query of the split in a TREC run file (rank order). A
    /// malformed line is an error naming the file, line and field; a document listed twice for a query is an error.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Candidates(string path, BeirDataset dataset, int window)
    {
        var run = TrecRunFile.Read(path);
        var windows = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        foreach (var query in dataset.Queries)
        {
            if (!run.TryGetValue(query.Id, out var ranking))
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var candidate in ranking)
            {
                if (!seen.Add(candidate.DocumentId))
                {
                    throw new FormatException($"{path}: query '{query.Id}' lists document '{candidate.DocumentId}' twice");
                }
            }

            windows[query.Id] = [.. ranking.Take(window)];
        }

        return windows;
    }
}
