using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;
using Rerank.Trainer.Data;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Tests.Cli;

/// <summary><c>rerank-train mine</c> and <c>plan</c> end to end, in process, as a user runs them.</summary>
public sealed class MinePlanCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MineThenPlan_SmallBeirFolder_WritesNegativesAndAPlanThatReadsBack()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");

        var mine = Run("mine", "--data", data, "--out", run, "--top", "3");
        var plan = Run("plan", "--data", data, "--out", run, "--batch-size", "2", "--negatives", "2", "--seed", "5");

        Assert.True(mine.ExitCode == 0, mine.Error);
        Assert.True(plan.ExitCode == 0, plan.Error);
        // Six queries judged in train: q6 has only a score-0 judgment; qrels/dev.tsv holds q5 out.
        Assert.Contains("data: small (asymmetric): 4 training queries, 1 held out (split dev), 8 passages", mine.Output, StringComparison.Ordinal);
        Assert.Contains("data: 1 train queries without a positive (no qrels score above 0) left out", mine.Output, StringComparison.Ordinal);
        Assert.Contains("mine: BM25 index of 8 passages built", mine.Output, StringComparison.Ordinal);
        Assert.Contains("mine: 5 queries in ", mine.Output, StringComparison.Ordinal);
        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data });
        var negatives = NegativesFile.Read(Path.Combine(run, "negatives.jsonl"), corpus);
        Assert.Equal(5, negatives.Count);
        Assert.All(negatives, n => Assert.True(n.Value.Count <= 3));
        var read = PlanFile.Read(Path.Combine(run, "plan.json"), corpus);
        Assert.Equal(2, read.BatchSize);
        Assert.Equal(5, read.Seed);
        Assert.Equal(2, read.BatchesPerGrouping); // 4 queries, one positive each, in batches of 2
        Assert.Contains("plan: 1 grouping(s) of 2 batches x 2 from 4 (query, positive) entries of 4 training queries", plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Mine_Rerun_ResumesWithNothingLeftAndReusesTheIndex()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");
        Run("mine", "--data", data, "--out", run);
        var before = File.ReadAllBytes(Path.Combine(run, "negatives.jsonl"));

        var again = Run("mine", "--data", data, "--out", run);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("mine: resuming: 5 of 5 queries already in", again.Output, StringComparison.Ordinal);
        Assert.Contains("passages reused", again.Output, StringComparison.Ordinal);
        Assert.Contains("(0 mined now, 5 from an earlier run)", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "negatives.jsonl")));
    }

    [Fact]
    public void Mine_RerunWithAnotherTop_OneErrorLineNamingTheField()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");
        Run("mine", "--data", data, "--out", run);

        var result = Run("mine", "--data", data, "--out", run, "--top", "4");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: {Path.Combine(run, "negatives.jsonl")}:1: field top (10 was mined, this run asks 4): delete the file to mine again, or rerun with the parameters it was mined with.{Environment.NewLine}",
            result.Error);
    }

    [Fact]
    public void Mine_QrelsLineNamingAnUnknownDocument_OneErrorLineWithFileAndLine()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "", "a b").Query("q1", "a").Query("q2", "b")
            .Judgment("q1", "d1", 1).Judgment("q2", "d7", 1)
            .WriteTo(Path.Combine(_temp.Path, "bad"), "train");

        var result = Run("mine", "--data", data, "--out", Path.Combine(_temp.Path, "run"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {Path.Combine(data, "qrels", "train.tsv")}:3: corpus-id 'd7' is not in the corpus{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Mine_PairFileWithAnUnknownLabel_OneErrorLineWithFileLineAndField()
    {
        var file = _temp.WriteFile("nli.jsonl", "{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"label\": \"entailment\"}\n{\"id\": 2, \"text1\": \"a\", \"text2\": \"c\", \"label\": \"yes\"}\n");

        var result = Run("mine", "--data", file, "--out", Path.Combine(_temp.Path, "run"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {file}:2: field 'label' must be entailment, neutral or contradiction, found 'yes'{Environment.NewLine}", result.Error);
    }

    [Theory]
    [InlineData("--heldout-fraction", "1.5", "error: --heldout-fraction must be above 0 and below 1, got 1.5.")]
    [InlineData("--pair-mode", "both", "'both'")]
    [InlineData("--top", "0", "--top must be at least 1 (is 0).")]
    public void Mine_BadOptionValue_OneErrorLineNamingTheOption(string option, string value, string expected)
    {
        var data = SmallBeirFolder();

        var result = Run("mine", "--data", data, "--out", Path.Combine(_temp.Path, "run"), option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "run")));
    }

    [Fact]
    public void Mine_DataThatDoesNotExist_OneErrorLine()
    {
        var missing = Path.Combine(_temp.Path, "nothing");

        var result = Run("mine", "--data", missing, "--out", Path.Combine(_temp.Path, "run"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --data: '{missing}' does not exist.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Plan_WithoutMine_OneErrorLineSayingWhatToRun()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");

        var result = Run("plan", "--data", data, "--out", run);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {Path.Combine(run, "negatives.jsonl")} does not exist; run rerank-train mine first.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Plan_BatchLargerThanTheData_OneErrorLineNamingTheOption()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");
        Run("mine", "--data", data, "--out", run);

        var result = Run("plan", "--data", data, "--out", run);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {data}: not one batch of 32 can be formed from 4 (query, positive) entries of 4 training queries with negatives; lower --batch-size.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Plan_OnOtherHeldOutChoiceThanMined_RefusedNamingTheFingerprint()
    {
        var data = SmallBeirFolder();
        var run = Path.Combine(_temp.Path, "run");
        Run("mine", "--data", data, "--out", run);

        var result = Run("plan", "--data", data, "--out", run, "--heldout-split", "train2", "--batch-size", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(":1: field 'data_fingerprint': the negatives were mined from other data", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MineThenPlan_SharedSciFact_EveryQueryMinedAndBatchesOf32()
    {
        var data = RepositoryPaths.RequireSharedCollection("scifact");
        var run = Path.Combine(_temp.Path, "run");

        var mine = Run("mine", "--data", data, "--out", run);
        var plan = Run("plan", "--data", data, "--out", run);

        Assert.True(mine.ExitCode == 0, mine.Error);
        Assert.True(plan.ExitCode == 0, plan.Error);
        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data });
        var negatives = NegativesFile.Read(Path.Combine(run, "negatives.jsonl"), corpus);
        // README: 809 train queries (728 trained on, 81 held out); every claim has BM25 hits in 5,183 abstracts.
        Assert.Equal(809, negatives.Count);
        foreach (var query in corpus.Train.Concat(corpus.HeldOut))
        {
            Assert.Equal(10, negatives[query.QueryId].Count);
            Assert.Empty(negatives[query.QueryId].Intersect(query.Positives));
        }

        var read = PlanFile.Read(Path.Combine(run, "plan.json"), corpus);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "plan.json")))!;
        var entries = corpus.Train.Sum(q => q.Positives.Count);
        Assert.Equal(entries, (int)json["statistics"]!["entries_per_grouping"]!);
        Assert.Equal(entries, (read.Batches.Count * 32) + (int)json["statistics"]!["dropped_per_grouping"]![0]!);
        Assert.True(entries - (read.Batches.Count * 32) < 64, "more than the last batch and a few conflicts dropped");
        Assert.All(read.Batches, b => Assert.Equal(32, b.Queries.Count));
        Assert.Equal(81, read.HeldOut.Count);
        Assert.All(read.HeldOut.Concat(read.Batches.SelectMany(b => b.Queries)), q => Assert.Equal(8, q.HardNegatives.Distinct().Count()));
    }

    private string SmallBeirFolder()
    {
        var folder = new BeirFolderBuilder()
            .Document("d1", "Cats", "cats purr and sleep")
            .Document("d2", "Dogs", "dogs bark and run")
            .Document("d3", "Birds", "birds sing and fly")
            .Document("d4", "Fish", "fish swim and hide")
            .Document("d5", "", "cats and dogs play")
            .Document("d6", "", "birds and fish live")
            .Document("d7", "Trees", "trees grow and sway")
            .Document("d8", "", "the end")
            .Query("q1", "do cats purr")
            .Query("q2", "why do dogs bark")
            .Query("q3", "can birds fly")
            .Query("q4", "how do fish swim")
            .Query("q5", "do trees grow")
            .Query("q6", "what is the end")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 1)
            .Judgment("q3", "d3", 1)
            .Judgment("q4", "d4", 1)
            .Judgment("q6", "d8", 0)
            .WriteTo(Path.Combine(_temp.Path, "small"), "train");
        File.WriteAllText(Path.Combine(folder, "qrels", "dev.tsv"), "query-id\tcorpus-id\tscore\nq5\td7\t1\n");
        File.WriteAllText(Path.Combine(folder, "qrels", "train2.tsv"), "query-id\tcorpus-id\tscore\nq4\td4\t1\n");
        return folder;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
