using Rerank.TestUtilities;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary>Data that loads but would train on nothing real: what is left out must be left out and counted, never used.</summary>
public sealed class HostileTrainingDataTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_BeirPositiveWithBlankTitleAndText_IsNoPositiveAndIsCounted()
    {
        // d9 has neither title nor text: the teacher would score the query against an empty passage and call that a
        // positive. As a blank query is left out, so is a blank judged document: q1 keeps d1, q5 (only d9) goes.
        var data = new BeirFolderBuilder()
            .Document("d1", "Cats", "cats purr").Document("d2", "Dogs", "dogs bark").Document("d3", "Birds", "birds fly")
            .Document("d9", "", "  ")
            .Query("q1", "cats").Query("q2", "dogs").Query("q3", "birds").Query("q5", "nothing")
            .Judgment("q1", "d1", 1).Judgment("q1", "d9", 1).Judgment("q2", "d2", 1).Judgment("q3", "d3", 1).Judgment("q5", "d9", 2)
            .WriteTo(Path.Combine(_temp.Path, "beir"), "train");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data, HeldOutFraction = 0.3 });

        var all = corpus.Train.Concat(corpus.HeldOut).OrderBy(q => q.QueryId, StringComparer.Ordinal).ToList();
        Assert.Equal(["q1", "q2", "q3"], all.Select(q => q.QueryId));
        Assert.Equal(["d1"], all[0].Positives);
        Assert.Contains("2 train judgments of documents with a blank title and text not used as positives", corpus.Notes);
        Assert.Contains("1 train queries without a positive (no qrels score above 0) left out", corpus.Notes);
    }
}
