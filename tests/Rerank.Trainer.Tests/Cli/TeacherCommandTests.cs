using System.CommandLine;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Cli;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tests.Teacher;

namespace Rerank.Trainer.Tests.Cli;

/// <summary><c>rerank-train teacher</c>, <c>teacher import</c> and <c>teacher merge</c> through the command line, data and plan given in memory.</summary>
public sealed class TeacherCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Run => Path.Combine(_temp.Path, "run");

    private string Model => Path.Combine(_temp.Path, "model");

    [Fact]
    public void Teacher_TwoShardsThenMerge_WritesTheMergedStore()
    {
        RandomCheckpoint.Write(Model, TeacherTestData.Llama);

        var first = Invoke("teacher", "--data", "/data/tiny", "--out", Run, "--teacher", Model, "--shard", "0/2", "--features", "none", "--batch-size", "4");
        var second = Invoke("teacher", "--data", "/data/tiny", "--out", Run, "--teacher", Model, "--shard", "1/2", "--features", "none");
        var merge = Invoke("teacher", "merge", "--data", "d", "--out", Run);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"teacher: 6 pairs in {Path.Combine(Run, "teacher", "shard-0-of-2.json")}", first.Output, StringComparison.Ordinal);
        Assert.Contains($"run rerank-train teacher merge --data /data/tiny --out {Run}", first.Output, StringComparison.Ordinal);
        Assert.Matches(@"teacher: 6/6 pairs \(100%\), [0-9.]+ pairs/s, ETA", first.Error);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal((0, ""), (merge.ExitCode, merge.Error));
        Assert.Equal($"teacher merge: 13 pairs from 2 shard(s) in {Path.Combine(Run, "teacher", "scores.json")}{Environment.NewLine}", merge.Output);
        using var store = TeacherStore.OpenMerged(Path.Combine(Run, "teacher"));
        Assert.Equal(13, store.Count);
        Assert.Null(store.FeatureDim);
    }

    [Fact]
    public void MinePlanTeacher_SmallBeirFolder_ScoresEveryPlanPairThroughTheRealDataAndPlanFiles()
    {
        RandomCheckpoint.Write(Model, TeacherTestData.Llama);
        var data = new BeirFolderBuilder()
            .Document("d1", "Cats", "cats purr and sleep")
            .Document("d2", "Dogs", "dogs bark and run")
            .Document("d3", "Birds", "birds sing and fly")
            .Document("d4", "Fish", "fish swim and hide")
            .Document("d5", "", "cats and dogs play")
            .Document("d6", "", "birds and fish live")
            .Query("q1", "do cats purr")
            .Query("q2", "why do dogs bark")
            .Query("q3", "can birds fly")
            .Query("q4", "how do fish swim")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 1)
            .Judgment("q3", "d3", 1)
            .Judgment("q4", "d4", 1)
            .WriteTo(Path.Combine(_temp.Path, "small"), "train");
        File.WriteAllText(Path.Combine(data, "qrels", "dev.tsv"), "query-id\tcorpus-id\tscore\nq4\td4\t1\n");

        var mine = InvokeReal("mine", "--data", data, "--out", Run, "--top", "3");
        var plan = InvokeReal("plan", "--data", data, "--out", Run, "--batch-size", "2", "--negatives", "2");
        var teacher = InvokeReal("teacher", "--data", data, "--out", Run, "--teacher", Model, "--batch-size", "3");

        Assert.True(mine.ExitCode == 0, mine.Error);
        Assert.True(plan.ExitCode == 0, plan.Error);
        Assert.True(teacher.ExitCode == 0, teacher.Error);
        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data });
        var pairs = PlanFile.Read(Path.Combine(Run, "plan.json"), corpus).Pairs();
        using var store = TeacherStore.OpenMerged(Path.Combine(Run, "teacher"));
        Assert.Equal(pairs, store.Entries.Select(e => (e.QueryId, e.PassageId)));
        Assert.Equal(32, store.FeatureDim);
        Assert.Contains($"teacher: {pairs.Count} pairs in {Path.Combine(Run, "teacher", "scores.json")}", teacher.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TeacherMerge_Gap_IsOneErrorLine()
    {
        RandomCheckpoint.Write(Model, TeacherTestData.Llama);
        Assert.Equal(0, Invoke("teacher", "--data", "d", "--out", Run, "--teacher", Model, "--shard", "1/2", "--features", "none").ExitCode);

        var merge = Invoke("teacher", "merge", "--data", "d", "--out", Run);

        Assert.Equal(1, merge.ExitCode);
        Assert.Equal($"error: gap: 6 plan pair(s) are in no shard of {Path.Combine(Run, "teacher")}, e.g. (q1, n1), (q1, n2), (q1, p1), (q1, p2), (q1, p3); missing shard files: shard-0-of-2.json.{Environment.NewLine}", merge.Error);
    }

    [Fact]
    public void TeacherImport_BadLine_IsOneErrorLineNamingFileLineAndField()
    {
        var file = _temp.WriteFile("s.jsonl", """{"query_id": "q1", "passage_id": "n1", "logit": null}""");

        var result = Invoke("teacher", "import", "--data", "d", "--out", Run, "--file", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {file}:1: field 'logit' must be a finite number{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void TeacherImport_WithoutFeatures_WarnsThatFiIsSwitchedOff()
    {
        var file = _temp.WriteFile("s.tsv", "query-id\tpassage-id\tlogit\n" + string.Join("\n", TeacherTestData.Pairs.Select(p => $"{p.Item1}\t{p.Item2}\t0.5")) + "\nqx\tpx\t1\n");

        var result = Invoke("teacher", "import", "--data", "d", "--out", Run, "--file", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"teacher import: 13 pairs in {Path.Combine(Run, "teacher", "scores.json")}; 1 pairs of the file are not in the plan and were ignored.", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the file has no features, so training switches feature imitation (FI) off.", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shard", "2/2", "error: --shard: '2/2' is not i/n with 0 <= i < n")]
    [InlineData("--prompt-language", "fr", "error: ")]
    [InlineData("--dtype", "float16", "error: ")]
    public void Teacher_BadOption_IsAnErrorLine(string option, string value, string expected)
    {
        RandomCheckpoint.Write(Model, TeacherTestData.Llama);

        var result = Invoke("teacher", "--data", "d", "--out", Run, "--teacher", Model, option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains(value, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Teacher_MissingCheckpoint_IsAnErrorLine()
    {
        var result = Invoke("teacher", "--data", "d", "--out", Run, "--teacher", Path.Combine(_temp.Path, "none"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand();
        root.Subcommands.Add(TeacherCommand.Create(new InMemoryInputs()));
        var exitCode = CommandLineHost.Invoke(root, args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static (int ExitCode, string Output, string Error) InvokeReal(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }

    private sealed class InMemoryInputs : ITeacherInputs
    {
        public TrainingCorpus ReadCorpus(DataOptions data, ParseResult parse, TextWriter output) => TeacherTestData.Corpus();

        public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => TeacherTestData.Plan();
    }
}
