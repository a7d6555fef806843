using Rerank.LuceneBaseline.Evaluation;

namespace Rerank.LuceneBaseline.Tests.Evaluation;

public sealed class IrMetricsTests
{
    // Ranking d1..d6; judgments: d1 = 3, d3 = 1, d6 = 2, d2 = 0 (judged, not relevant), d7 = 1 (never retrieved).
    private static readonly string[] Ranking = ["d1", "d2", "d3", "d4", "d5", "d6"];

    private static readonly Dictionary<string, int> Graded = new() { ["d1"] = 3, ["d2"] = 0, ["d3"] = 1, ["d6"] = 2, ["d7"] = 1 };

    [Fact]
    public void Ndcg_GradedCutoffDropsARelevantDocument_UsesLinearGain()
    {
        // @5: DCG = 3/log2(2) + 1/log2(4); ideal grades 3, 2, 1, 1 -> 3/log2(2) + 2/log2(3) + 1/log2(4) + 1/log2(5).
        var expected = (3 + (1 / 2.0)) / (3 + (2 / Math.Log2(3)) + (1 / 2.0) + (1 / Math.Log2(5)));

        Assert.Equal(expected, IrMetrics.Ndcg(Ranking, Graded, 5), 12);
    }

    [Fact]
    public void Ndcg_IdealCutAtK_WhenMoreRelevantThanK()
    {
        // @2: DCG = 3/1 + 0; ideal = 3/1 + 2/log2(3) (only the two best grades fit).
        var expected = 3 / (3 + (2 / Math.Log2(3)));

        Assert.Equal(expected, IrMetrics.Ndcg(Ranking, Graded, 2), 12);
    }

    [Fact]
    public void Ndcg_BinaryExample_MatchesHandComputation()
    {
        // Relevant a and c of {a, c}; ranking [b, a, c]: DCG = 1/log2(3) + 1/log2(4); IDCG = 1 + 1/log2(3).
        var judgments = new Dictionary<string, int> { ["a"] = 1, ["c"] = 1 };

        var ndcg = IrMetrics.Ndcg(["b", "a", "c"], judgments, 10);

        Assert.Equal(((1 / Math.Log2(3)) + 0.5) / (1 + (1 / Math.Log2(3))), ndcg, 12);
    }

    [Fact]
    public void Ndcg_NothingRelevant_IsZero() =>
        Assert.Equal(0, IrMetrics.Ndcg(Ranking, new Dictionary<string, int> { ["d1"] = 0 }, 10));

    [Theory]
    [InlineData(10, 1.0 / 3)]
    [InlineData(3, 1.0 / 3)]
    [InlineData(2, 0.0)]
    public void ReciprocalRank_FirstRelevantAtRankThree(int k, double expected)
    {
        var judgments = new Dictionary<string, int> { ["d3"] = 1, ["d5"] = 2, ["d1"] = 0 };

        Assert.Equal(expected, IrMetrics.ReciprocalRank(Ranking, judgments, k), 12);
    }

    [Fact]
    public void Recall_FewerRetrievedThanK_CountsOverAllRelevant()
    {
        // Relevant: d1, d3, d6, d7 (4). Retrieved within 100: d1, d3, d6 -> 3/4; within 3: d1, d3 -> 2/4.
        Assert.Equal(0.75, IrMetrics.Recall(Ranking, Graded, 100), 12);
        Assert.Equal(0.5, IrMetrics.Recall(Ranking, Graded, 3), 12);
    }

    [Fact]
    public void Precision_DividesByKEvenWhenFewerRetrieved()
    {
        // 3 relevant among 6 retrieved; P@10 = 3/10 (trec_eval), P@3 = 2/3.
        Assert.Equal(0.3, IrMetrics.Precision(Ranking, Graded, 10), 12);
        Assert.Equal(2.0 / 3, IrMetrics.Precision(Ranking, Graded, 3), 12);
    }

    [Fact]
    public void AveragePrecision_TrecEvalExample()
    {
        // [R, N, R, N, N, R], R = 3: (1/1 + 2/3 + 3/6) / 3 = 0.7222...
        var judgments = new Dictionary<string, int> { ["r1"] = 1, ["r2"] = 1, ["r3"] = 1 };

        var ap = IrMetrics.AveragePrecision(["r1", "n1", "r2", "n2", "n3", "r3"], judgments, 100);

        Assert.Equal((1 + (2.0 / 3) + (3.0 / 6)) / 3, ap, 12);
    }

    [Fact]
    public void AveragePrecision_CutBelowRelevantCount_DividesByAllRelevant()
    {
        // Relevant d1, d3, d6, d7 (R = 4); within @3: d1 at 1 (1/1) and d3 at 3 (2/3) -> (1 + 2/3) / 4.
        Assert.Equal((1 + (2.0 / 3)) / 4, IrMetrics.AveragePrecision(Ranking, Graded, 3), 12);
    }

    [Fact]
    public void Metrics_DuplicateDocumentInRanking_CountsOnlyTheFirst()
    {
        // [a, a, b] with a and b relevant: the second a gains nothing but holds rank 2; b is at rank 3.
        var judgments = new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 };
        string[] ranking = ["a", "a", "b"];

        Assert.Equal((1 + (2.0 / 3)) / 2, IrMetrics.AveragePrecision(ranking, judgments, 10), 12);
        Assert.Equal(2.0 / 3, IrMetrics.Precision(ranking, judgments, 3), 12);
        Assert.Equal((1 + 0.5) / (1 + (1 / Math.Log2(3))), IrMetrics.Ndcg(ranking, judgments, 10), 12);
    }

    [Fact]
    public void Metrics_GradeZeroAndNegative_AreNotRelevant()
    {
        var judgments = new Dictionary<string, int> { ["a"] = 0, ["b"] = -1, ["c"] = 1 };
        string[] ranking = ["a", "b", "c"];

        Assert.Equal(1.0 / 3, IrMetrics.ReciprocalRank(ranking, judgments, 10), 12);
        Assert.Equal(1.0, IrMetrics.Recall(ranking, judgments, 10), 12);
        Assert.Equal(1.0 / 3, IrMetrics.Precision(ranking, judgments, 3), 12);
    }

    [Fact]
    public void Metrics_CutoffBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IrMetrics.Ndcg(Ranking, Graded, 0));
}
