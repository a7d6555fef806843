using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Runtime;
using Rerank.TestUtilities;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Tests.Data;

public sealed class TrainingDataLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_BeirFolderWithTrainAndDev_PositivesHeldOutAndPassageTexts()
    {
        var folder = new BeirFolderBuilder()
            .Document("d1", "Title one", "body one")
            .Document("d2", "", "body two")
            .Document("d3", "Only title", "")
            .Document("d4", "T4", "b4")
            .Query("q1", "first query")
            .Query("q2", "second query")
            .Query("q3", "all judged irrelevant")
            .Query("q4", "   ")
            .Query("q5", "dev query")
            .Query("q6", "in train and dev")
            .Judgment("q1", "d2", 1)
            .Judgment("q1", "d3", 0)
            .Judgment("q1", "d1", 2)
            .Judgment("q2", "d4", 1)
            .Judgment("q3", "d1", 0)
            .Judgment("q4", "d1", 1)
            .Judgment("q9", "d1", 1)
            .Judgment("q6", "d3", 1)
            .WriteTo(_temp.Path, "train");
        _temp.WriteFile("qrels/dev.tsv", "query-id\tcorpus-id\tscore\nq5\td4\t1\nq6\td2\t1\n");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder });

        Assert.Equal(StudentBranch.Asymmetric, corpus.Branch);
        Assert.Equal(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar), corpus.Source);
        // q1's positives in qrels order, the score-0 judgment left out; q3 (no positive), q4 (blank), q9 (no query line)
        // and q6 (held out by the dev split) are not trained on.
        Assert.Equal(["q1", "q2"], corpus.Train.Select(q => q.QueryId));
        Assert.Equal(["d2", "d1"], corpus.Train[0].Positives);
        Assert.Empty(corpus.Train[0].GivenNegatives);
        Assert.Equal(["q5", "q6"], corpus.HeldOut.Select(q => q.QueryId));
        Assert.Equal(["d2"], corpus.HeldOut[1].Positives);
        Assert.Equal("split dev", corpus.HeldOutDescription);
        Assert.Equal("Title one body one", corpus.Passages["d1"]);
        Assert.Equal("body two", corpus.Passages["d2"]);
        Assert.Equal("Only title", corpus.Passages["d3"]);
        Assert.Equal(4, corpus.Passages.Count);
        Assert.Equal(new Dictionary<string, string> { ["q1"] = "first query", ["q2"] = "second query", ["q5"] = "dev query", ["q6"] = "in train and dev" }, corpus.Queries);
        Assert.Contains("1 train queries without a positive (no qrels score above 0) left out", corpus.Notes);
        Assert.Contains("1 train queries with blank text left out", corpus.Notes);
        Assert.Contains("1 train queries judged in the qrels but not in queries.jsonl left out", corpus.Notes);
        Assert.Contains("1 train queries also in dev left out of training (held-out queries are never trained on)", corpus.Notes);
    }

    [Fact]
    public void Load_BeirWithoutDev_HoldsOutASeededSliceOfTrain()
    {
        var builder = new BeirFolderBuilder().Document("d", "", "text");
        for (var i = 0; i < 25; i++)
        {
            builder.Query($"q{i}", $"query {i}").Judgment($"q{i}", "d", 1);
        }

        var folder = builder.WriteTo(_temp.Path, "train");

        var first = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, HeldOutFraction = 0.2, Seed = 7 });
        var again = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, HeldOutFraction = 0.2, Seed = 7 });
        var capped = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, HeldOutFraction = 0.5, HeldOutMax = 3 });
        var tiny = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, HeldOutFraction = 0.001 });

        // 0.2 x 25 = 5 held out, 20 trained on, together every query once, each part in file order.
        Assert.Equal(5, first.HeldOut.Count);
        Assert.Equal(20, first.Train.Count);
        var all = first.Train.Concat(first.HeldOut).Select(q => q.QueryId).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"q{i}").Order(StringComparer.Ordinal), all);
        Assert.Equal(first.HeldOut.Select(q => q.QueryId).OrderBy(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)), first.HeldOut.Select(q => q.QueryId));
        Assert.Equal(first.HeldOut.Select(q => q.QueryId), again.HeldOut.Select(q => q.QueryId));
        Assert.Equal(3, capped.HeldOut.Count);
        Assert.Single(tiny.HeldOut);
        Assert.Equal(25, first.Queries.Count);
        Assert.Equal("0.2 of train (at most 1000), seed 7", first.HeldOutDescription);
    }

    [Fact]
    public void Load_BeirSlices_DifferentSeedsChooseDifferentQueries()
    {
        var builder = new BeirFolderBuilder().Document("d", "", "text");
        for (var i = 0; i < 40; i++)
        {
            builder.Query($"q{i}", $"query {i}").Judgment($"q{i}", "d", 1);
        }

        var folder = builder.WriteTo(_temp.Path, "train");

        var slices = Enumerable.Range(1, 5)
            .Select(seed => string.Join(',', TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, Seed = seed }).HeldOut.Select(q => q.QueryId)))
            .ToHashSet(StringComparer.Ordinal);

        // 4 of 40 queries: C(40, 4) = 91,390 possible slices; five seeds agreeing would mean the seed is ignored.
        Assert.True(slices.Count >= 4, string.Join(" | ", slices));
    }

    [Fact]
    public void Load_BeirHeldOutSplitNamed_UsesItAndTrainSplitOption()
    {
        var folder = new BeirFolderBuilder()
            .Document("d1", "", "a").Document("d2", "", "b")
            .Query("q1", "one").Query("q2", "two").Query("q3", "three")
            .Judgment("q1", "d1", 1).Judgment("q2", "d2", 1)
            .WriteTo(_temp.Path, "mytrain");
        _temp.WriteFile("qrels/dev.tsv", "query-id\tcorpus-id\tscore\nq2\td1\t1\n");
        _temp.WriteFile("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq3\td2\t3\n");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, TrainSplit = "mytrain", HeldOutSplit = "test" });

        Assert.Equal(["q1", "q2"], corpus.Train.Select(q => q.QueryId));
        Assert.Equal("q3", Assert.Single(corpus.HeldOut).QueryId);
        Assert.Equal("split test", corpus.HeldOutDescription);
    }

    [Fact]
    public void Load_QrelsNamesADocumentNotInTheCorpus_NamesQrelsFileLineAndField()
    {
        var folder = new BeirFolderBuilder()
            .Document("d1", "", "a")
            .Query("q1", "one")
            .Judgment("q1", "d1", 1)
            .Judgment("q1", "nope", 1)
            .WriteTo(_temp.Path, "train");

        var error = Assert.Throws<BeirFormatException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = folder }));

        Assert.Equal(Path.Combine(folder, "qrels", "train.tsv"), error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal("corpus-id 'nope' is not in the corpus", error.Problem);
    }

    [Fact]
    public void Load_MissingSplit_NamesOptionAndAvailableSplits()
    {
        var folder = new BeirFolderBuilder().Document("d1", "", "a").Query("q1", "one").Judgment("q1", "d1", 1).WriteTo(_temp.Path, "test");

        var missingTrain = Assert.Throws<FileNotFoundException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = folder }));
        var missingHeldOut = Assert.Throws<FileNotFoundException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, TrainSplit = "test", HeldOutSplit = "dev" }));

        Assert.StartsWith("--train-split: split 'train' not found: ", missingTrain.Message, StringComparison.Ordinal);
        Assert.EndsWith("available splits: test.", missingTrain.Message, StringComparison.Ordinal);
        Assert.StartsWith("--heldout-split: split 'dev' not found: ", missingHeldOut.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 1000, "--heldout-fraction must be above 0 and below 1, got 0.")]
    [InlineData(1.0, 1000, "--heldout-fraction must be above 0 and below 1, got 1.")]
    [InlineData(0.1, 0, "--heldout-max must be at least 1, got 0.")]
    public void Load_BadSettings_ArgumentErrorNamingTheOption(double fraction, int max, string message)
    {
        var folder = new BeirFolderBuilder().Document("d1", "", "a").Query("q1", "one").Judgment("q1", "d1", 1).WriteTo(_temp.Path, "train");

        var error = Assert.Throws<ArgumentException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = folder, HeldOutFraction = fraction, HeldOutMax = max }));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Load_OneTrainingQueryAndNoHeldOutSplit_RefusesToSliceIt()
    {
        var folder = new BeirFolderBuilder().Document("d1", "", "a").Query("q1", "one").Judgment("q1", "d1", 1).WriteTo(_temp.Path, "train");

        var error = Assert.Throws<InvalidDataException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = folder }));

        Assert.Contains("1 training queries with a positive; a held-out slice needs at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NliPairFile_EntailmentsPositivesContradictionsGivenNegatives()
    {
        var file = _temp.WriteFile(
            "nli.jsonl",
            """
            {"id": "1", "text1": "A man plays.", "text2": "A person plays.", "label": "entailment"}
            {"id": 2, "text1": "A man plays.", "text2": "A man sleeps.", "label": "contradiction"}
            {"id": "3", "text1": "A man plays.", "text2": "A man plays well.", "label": "neutral"}
            {"id": "4", "text1": "Kids run.", "text2": "Children run.", "label": "entailment"}
            {"id": "5", "text1": "Only neutral.", "text2": "Maybe.", "label": "neutral"}
            {"id": "6", "text1": "A man plays.", "text2": "Someone plays.", "label": "entailment"}
            {"id": "7", "text1": "Kids run.", "text2": "Kids sit.", "label": "contradiction"}
            """);
        var heldOut = _temp.WriteFile("dev.jsonl", """{"id": "1", "text1": "Dogs bark.", "text2": "Animals make noise.", "label": "entailment"}""");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, HeldOutFile = heldOut });

        Assert.Equal(StudentBranch.Symmetric, corpus.Branch);
        Assert.Equal(
            [new TrainingQuery("q/1", ["p/1", "p/6"], ["p/2"]), new TrainingQuery("q/4", ["p/4"], ["p/7"])],
            corpus.Train,
            TrainingQueryComparer.Instance);
        Assert.Equal([new TrainingQuery("heldout/q/1", ["heldout/p/1"], [])], corpus.HeldOut, TrainingQueryComparer.Instance);
        Assert.Equal("A man plays.", corpus.Queries["q/1"]);
        Assert.Equal("Dogs bark.", corpus.Queries["heldout/q/1"]);
        Assert.False(corpus.Queries.ContainsKey("q/5"));
        // Every text2 is a passage, neutral ones too (they are BM25 candidates).
        Assert.Equal(8, corpus.Passages.Count);
        Assert.Equal("A man plays well.", corpus.Passages["p/3"]);
        Assert.Equal("file dev.jsonl", corpus.HeldOutDescription);
        Assert.Contains("1 texts of nli.jsonl without an entailment left out as queries", corpus.Notes);
    }

    [Fact]
    public void Load_ScoredPairFile_PairsAtOrAboveMinScoreArePositives()
    {
        var file = _temp.WriteFile(
            "sts.jsonl",
            """
            {"id": "a", "text1": "x", "text2": "x1", "score": 4.0}
            {"id": "a", "text1": "x", "text2": "x2", "score": 3.99}
            {"id": "b", "text1": "y", "text2": "y1", "score": 5}
            {"id": "c", "text1": "z", "text2": "z1", "score": 1.0}
            {"id": "d", "text1": "x", "text2": "x3", "score": 4.6}
            """);

        var byDefault = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, HeldOutFraction = 0.4, Seed = 3 });
        var lower = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, MinScore = 1.0, HeldOutFraction = 0.3 });

        // Default 4.0: x has x1 (4.0) and x3 (4.6); y has y1; z has none. The repeated id "a" is read as "a#2".
        var all = byDefault.Train.Concat(byDefault.HeldOut).OrderBy(q => q.QueryId, StringComparer.Ordinal).ToList();
        Assert.Equal([new TrainingQuery("q/a", ["p/a", "p/d"], []), new TrainingQuery("q/b", ["p/b"], [])], all, TrainingQueryComparer.Instance);
        Assert.Equal("x2", byDefault.Passages["p/a#2"]);
        Assert.Contains("1 repeated pair ids in sts.jsonl renamed id#2, id#3, ...", byDefault.Notes);
        Assert.Equal(3, lower.Train.Count + lower.HeldOut.Count);
    }

    [Fact]
    public void Load_PairFileWithLabelsAndScores_NliUnlessScoreModeIsForced()
    {
        var file = _temp.WriteFile(
            "sick.jsonl",
            """
            {"id": "1", "text1": "p", "text2": "h1", "label": "neutral", "score": 4.5}
            {"id": "2", "text1": "p", "text2": "h2", "label": "entailment", "score": 3.0}
            {"id": "3", "text1": "r", "text2": "h3", "label": "entailment", "score": 4.2}
            """);

        var nli = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, HeldOutFraction = 0.5 });
        var scores = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, HeldOutFraction = 0.5, PairMode = PairMode.Score });

        Assert.Equal(["p/2"], nli.Train.Concat(nli.HeldOut).Single(q => q.QueryId == "q/1").Positives);
        Assert.Equal(["p/1"], scores.Train.Concat(scores.HeldOut).Single(q => q.QueryId == "q/1").Positives);
    }

    [Theory]
    [InlineData("Auto", """{"id": "2", "text1": "p", "text2": "h", "label": "entails"}""", "field 'label' must be entailment, neutral or contradiction, found 'entails'")]
    [InlineData("Nli", """{"id": "2", "text1": "p", "text2": "h", "score": 2}""", "field 'label' is missing; NLI pairs (--pair-mode nli) need")]
    [InlineData("Score", """{"id": "2", "text1": "p", "text2": "h", "label": "neutral"}""", "field 'score' is missing; scored pairs (--pair-mode score) need")]
    public void Load_PairLineUnfitForTheMode_NamesFileLineAndField(string mode, string line, string problem)
    {
        var file = _temp.WriteFile("pairs.jsonl", """{"id": "1", "text1": "p", "text2": "h", "label": "entailment", "score": 5}""" + "\n\n" + line + "\n");

        var error = Assert.Throws<BeirFormatException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = file, PairMode = Enum.Parse<PairMode>(mode) }));

        Assert.Equal(file, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PairFolder_TrainSplitAndDevAsHeldOut()
    {
        _temp.WriteFile("pairs/train.jsonl", """{"id": "t1", "text1": "a", "text2": "b", "score": 5}""" + "\n");
        _temp.WriteFile("pairs/dev.jsonl", """{"id": "d1", "text1": "c", "text2": "d", "score": 4.5}""" + "\n");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = Path.Combine(_temp.Path, "pairs") });

        Assert.Equal("q/t1", Assert.Single(corpus.Train).QueryId);
        Assert.Equal("heldout/q/d1", Assert.Single(corpus.HeldOut).QueryId);
        Assert.Equal("file dev.jsonl", corpus.HeldOutDescription);
    }

    [Fact]
    public void Load_FolderThatIsNeither_NamesWhatIsMissing()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TrainingDataLoader.Load(new TrainingDataSettings { Path = _temp.Path }));

        Assert.Contains("is neither a BEIR folder (no corpus.jsonl) nor a folder of sentence-pair files (no train.jsonl)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SharedSciFact_TrainsOn809QueriesMinusTheSlice()
    {
        var folder = RepositoryPaths.RequireSharedCollection("scifact");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder });

        // README: 809 train queries, 5,183 documents; no dev split, so round(0.1 x 809) = 81 are held out.
        Assert.Equal(81, corpus.HeldOut.Count);
        Assert.Equal(809 - 81, corpus.Train.Count);
        Assert.Equal(5183, corpus.Passages.Count);
    }

    [Fact]
    public void Load_SharedStsb_QueriesWithAPairScoringAtLeast4()
    {
        var folder = RepositoryPaths.RequireSharedCollection("stsb-en");

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = folder });

        // Counted by a separate script over the files: distinct text1 with a pair scoring >= 4.0.
        Assert.Equal(1378, corpus.Train.Count);
        Assert.Equal(262, corpus.HeldOut.Count);
        Assert.Equal(5749 + 1500, corpus.Passages.Count);
    }

    private sealed class TrainingQueryComparer : IEqualityComparer<TrainingQuery>
    {
        public static readonly TrainingQueryComparer Instance = new();

        public bool Equals(TrainingQuery? x, TrainingQuery? y) =>
            x is not null && y is not null && x.QueryId == y.QueryId && x.Positives.SequenceEqual(y.Positives) && x.GivenNegatives.SequenceEqual(y.GivenNegatives);

        public int GetHashCode(TrainingQuery obj) => obj.QueryId.GetHashCode(StringComparison.Ordinal);
    }
}
