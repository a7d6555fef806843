using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class RerankScoringTests
{
    [Fact]
    public void ModelScore_IsTheLogistic()
    {
        Assert.Equal(0.5, RerankScoring.ModelScore(0), 12);
        Assert.Equal(1 / (1 + Math.E), RerankScoring.ModelScore(-1), 12);
        Assert.Equal(0.8807970779778823, RerankScoring.ModelScore(2), 12);
    }

    [Fact]
    public void Rerank_ModelMode_OrdersByLogitWithLogisticScores()
    {
        // First stage: a, b, c; logits rank c (2), a (0), b (-1).
        var window = RerankScoring.Rerank([9f, 5f, 1f], [0f, -1f, 2f], ScoreMode.Model, 0.5, 60);

        Assert.Equal([2, 0, 1], window.Order);
        Assert.Equal(0.8807971f, window.Scores[0], 6);
        Assert.Equal(0.5f, window.Scores[1], 6);
        Assert.Equal(0.26894142f, window.Scores[2], 6);
        Assert.Equal(0, window.Missing);
    }

    [Fact]
    public void Rerank_EqualLogits_KeepFirstStageOrder()
    {
        var window = RerankScoring.Rerank([3f, 2f, 1f], [1f, 1f, 1f], ScoreMode.Model, 0.5, 60);

        Assert.Equal([0, 1, 2], window.Order);
    }

    [Fact]
    public void Rerank_Linear_MixesMinMaxNormalisedScores()
    {
        // logits 0, 10, 5 -> 0, 1, 0.5; first stage 10, 6, 2 -> 1, 0.5, 0.
        // weight 0.25 on the model: a = 0.75, b = 0.25 + 0.375 = 0.625, c = 0.125.
        var window = RerankScoring.Rerank([10f, 6f, 2f], [0f, 10f, 5f], ScoreMode.Linear, 0.25, 60);

        Assert.Equal([0, 1, 2], window.Order);
        Assert.Equal(0.75f, window.Scores[0], 6);
        Assert.Equal(0.625f, window.Scores[1], 6);
        Assert.Equal(0.125f, window.Scores[2], 6);

        // weight 0.75: a = 0.25, b = 0.75 + 0.125 = 0.875, c = 0.375.
        var modelHeavy = RerankScoring.Rerank([10f, 6f, 2f], [0f, 10f, 5f], ScoreMode.Linear, 0.75, 60);
        Assert.Equal([1, 2, 0], modelHeavy.Order);
        Assert.Equal(0.875f, modelHeavy.Scores[0], 6);
    }

    [Fact]
    public void Rerank_Rrf_SumsReciprocalRanks()
    {
        // model ranks: c 1, b 2, a 3; first-stage ranks a 1, b 2, c 3; k = 1.
        // a = 1/4 + 1/2 = 0.75, b = 1/3 + 1/3 = 0.6667, c = 1/2 + 1/4 = 0.75 (tie: a first).
        var window = RerankScoring.Rerank([3f, 2f, 1f], [0f, 1f, 2f], ScoreMode.Rrf, 0.5, 1);

        Assert.Equal([0, 2, 1], window.Order);
        Assert.Equal(0.75f, window.Scores[0], 6);
        Assert.Equal(0.75f, window.Scores[1], 6);
        Assert.Equal(2f / 3f, window.Scores[2], 6);
    }

    [Fact]
    public void Rerank_MissingLogits_KeepTheirPositionsAndScoresNeverIncrease()
    {
        // Position 0 and 3 have no vector; b, c, e are reranked by logit into positions 1, 2, 4: e, c, b.
        var window = RerankScoring.Rerank([5f, 4f, 3f, 2f, 1f], [float.NaN, -2f, 0f, float.NaN, 3f], ScoreMode.Model, 0.5, 60);

        Assert.Equal([0, 4, 2, 3, 1], window.Order);
        Assert.Equal(2, window.Missing);
        Assert.Equal(window.Scores[1], window.Scores[0]);
        Assert.Equal(window.Scores[2], window.Scores[3]);
        for (var i = 1; i < window.Scores.Length; i++)
        {
            Assert.True(window.Scores[i] <= window.Scores[i - 1]);
            Assert.True(window.Scores[i] >= 0);
        }
    }

    [Fact]
    public void Rerank_NoLogits_KeepsFirstStageOrder()
    {
        var window = RerankScoring.Rerank([2f, 1f], [float.NaN, float.NaN], ScoreMode.Model, 0.5, 60);

        Assert.Equal([0, 1], window.Order);
        Assert.Equal(2, window.Missing);
    }

    [Fact]
    public void BeyondWindowScore_ScalesBelowTheWindow()
    {
        // The window ended at first-stage score 8 with reranked score 0.4; a hit at 4 gets 0.2.
        Assert.Equal(0.2f, RerankScoring.BeyondWindowScore(4f, 8f, 0.4f), 6);
        Assert.Equal(0.4f, RerankScoring.BeyondWindowScore(8f, 8f, 0.4f), 6);
        Assert.Equal(0f, RerankScoring.BeyondWindowScore(0f, 8f, 0.4f));
        Assert.Equal(0f, RerankScoring.BeyondWindowScore(3f, 0f, 0.4f));
    }
}
