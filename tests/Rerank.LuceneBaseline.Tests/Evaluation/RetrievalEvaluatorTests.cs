using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Tests.Evaluation;

public sealed class RetrievalEvaluatorTests
{
    [Fact]
    public void Evaluate_ExcludesQueriesWithoutRelevantAndCountsMissingOnes()
    {
        var qrels = Qrels(("q1", "a", 1), ("q2", "b", 0), ("q3", "c", 1));
        var run = Run(("q1", [("a", 2f), ("x", 1f)]), ("q2", [("b", 1f)]));

        var report = new RetrievalEvaluator([1, 10]).Evaluate(run, qrels);

        // q1: relevant at rank 1 -> 1 for every metric but P@10 = 1/10. q2 excluded. q3 missing -> 0.
        Assert.Equal(2, report.QueriesEvaluated);
        Assert.Equal(1, report.QueriesWithoutRelevant);
        Assert.Equal(1, report.QueriesMissingFromRun);
        Assert.Equal(0.5, report["ndcg@10"], 12);
        Assert.Equal(0.5, report["mrr@1"], 12);
        Assert.Equal((0.1 + 0) / 2, report["p@10"], 12);
        Assert.Equal(0, report.PerQuery["q3"]["recall@10"]);
        Assert.False(report.PerQuery.ContainsKey("q2"));
    }

    [Fact]
    public void Evaluate_ReordersByScoreThenDocumentIdDescending_LikeTrecEval()
    {
        // Given order [a, b, c] but scores 1, 1, 2: trec_eval ranks c, then the tie b before a (id descending).
        var qrels = Qrels(("q", "a", 1));
        var run = Run(("q", [("a", 1f), ("b", 1f), ("c", 2f)]));

        var report = new RetrievalEvaluator([10]).Evaluate(run, qrels);

        Assert.Equal(1.0 / 3, report["mrr@10"], 12);
    }

    [Fact]
    public void Evaluate_MetricNames_FollowFamilyThenCutoffOrder()
    {
        var evaluator = new RetrievalEvaluator([10, 1, 10]);

        Assert.Equal(["ndcg@1", "ndcg@10", "mrr@1", "mrr@10", "recall@1", "recall@10", "map@1", "map@10", "p@1", "p@10"], evaluator.MetricNames);
    }

    [Fact]
    public void Indexer_UnknownMetric_NamesTheAvailableOnes()
    {
        var report = new RetrievalEvaluator([10]).Evaluate(Run(), Qrels(("q", "a", 1)));

        var error = Assert.Throws<KeyNotFoundException>(() => report["ndcg@5"]);

        Assert.Contains("ndcg@10", error.Message);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 10, 0 })]
    public void Constructor_InvalidCutoffs_Throws(int[] cutoffs) =>
        Assert.Throws<ArgumentException>(() => new RetrievalEvaluator(cutoffs));

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Qrels(params (string Query, string Document, int Grade)[] judgments) =>
        judgments.GroupBy(j => j.Query).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, int>)g.ToDictionary(j => j.Document, j => j.Grade));

    private static Dictionary<string, IReadOnlyList<ScoredDocument>> Run(params (string Query, (string Id, float Score)[] Ranking)[] rankings) =>
        rankings.ToDictionary(r => r.Query, r => (IReadOnlyList<ScoredDocument>)[.. r.Ranking.Select(d => new ScoredDocument(d.Id, d.Score))]);
}
