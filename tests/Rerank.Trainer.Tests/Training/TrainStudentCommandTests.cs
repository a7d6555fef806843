using System.CommandLine;
using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;
using Rerank.Trainer.Data;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Training;

/// <summary><c>rerank-train train</c> through the command line, with the data, plan and teacher store passed in memory.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TrainStudentCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_LossSwitchesAndWeightsFromTheCommandLine_ReachTheLogAndTheConsole()
    {
        var checkpoint = _data.WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint"));
        var run = Path.Combine(_temp.Path, "run");

        var result = Run(
            "train", "--data", "topics", "--out", run, "--student", checkpoint, "--pma-heads", "2", "--iem-hidden", "16",
            "--frozen-backbone", "--max-steps", "4", "--log-every", "2", "--eval-every", "2", "--no-ri-hi", "--no-fi", "--ci-mode", "plain", "--inbatch-weight", "0.5",
            "--pooling", "mean", "--lr", "1e-3", "--warmup", "0");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith($"train done after 4 steps; best student in {Path.Combine(run, "train", "best")}", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning: FI (feature imitation) is switched off", result.Error, StringComparison.Ordinal);
        Assert.Contains("step 2/4 epoch 1 inbatch ", result.Error, StringComparison.Ordinal);
        var steps = File.ReadLines(Path.Combine(run, "train", "log.jsonl")).Where(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, steps.Count);
        Assert.All(steps, l => Assert.DoesNotContain("\"ri_hi\"", l, StringComparison.Ordinal));
        Assert.All(steps, l => Assert.DoesNotContain("\"fi\"", l, StringComparison.Ordinal));

        // total = 0.5 * inbatch + ci + ri_ph, read back from the log.
        var first = System.Text.Json.Nodes.JsonNode.Parse(steps[0])!;
        var expected = (0.5 * first["inbatch"]!.GetValue<double>()) + first["ci"]!.GetValue<double>() + first["ri_ph"]!.GetValue<double>();
        Assert.Equal(expected, first["total"]!.GetValue<double>(), 1e-5);
    }

    [Fact]
    public void Train_PlanFileAndImportedTeacherStoreInTheRunDirectory_AreWhatItTrainsOn()
    {
        var checkpoint = _data.WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint"));
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        Directory.CreateDirectory(run.Root);
        PlanFile.Write(run.Plan, _data.Plan, _data.Corpus);
        var scores = Path.Combine(_temp.Path, "scores.jsonl");
        File.WriteAllLines(scores, _data.Outputs.Select(o => new JsonObject
        {
            ["query_id"] = o.Key.Item1,
            ["passage_id"] = o.Key.Item2,
            ["logit"] = o.Value.Logit,
            ["features"] = new JsonArray([.. o.Value.Features!.Select(f => (JsonNode?)JsonValue.Create(f))]),
        }.ToJsonString()));
        TeacherImport.Import(scores, run.TeacherDirectory, _data.Plan);

        var result = Run(new FilesExceptData(_data), "train", "--data", "topics", "--out", run.Root, "--student", checkpoint, "--pma-heads", "2", "--iem-hidden", "16", "--frozen-backbone", "--max-steps", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("warning: the teacher store holds no features", result.Error, StringComparison.Ordinal);
        Assert.Contains("held-out pooled Spearman ", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.BestStudent, "student_heads.safetensors")));
    }

    [Fact]
    public void Train_StudentHeadsAndRandomHeadSizesTogether_IsOneErrorLine()
    {
        var result = Run("train", "--data", "topics", "--out", _temp.Path, "--student", _temp.Path, "--heads", _temp.Path, "--pma-heads", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --pma-heads and --iem-hidden size random heads; with --heads the sizes come from student_config.json.", result.Error.Trim());
    }

    [Fact]
    public void MinePlanTeacherImportTrain_OnABeirFolder_TrainsThroughThePipelineReaders()
    {
        var builder = new BeirFolderBuilder();
        foreach (var (id, text) in _data.Corpus.Passages)
        {
            builder.Document(id, "", text);
        }

        foreach (var query in _data.Corpus.Train)
        {
            builder.Query(query.QueryId, _data.Corpus.Queries[query.QueryId]).Judgment(query.QueryId, query.Positives[0], 1);
        }

        foreach (var query in _data.Corpus.HeldOut)
        {
            builder.Query(query.QueryId, _data.Corpus.Queries[query.QueryId]);
        }

        var data = builder.WriteTo(Path.Combine(_temp.Path, "beir"), "train");
        File.WriteAllLines(Path.Combine(data, "qrels", "dev.tsv"), ["query-id\tcorpus-id\tscore", .. _data.Corpus.HeldOut.Select(q => $"{q.QueryId}\t{q.Positives[0]}\t1")]);
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        var checkpoint = _data.WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint"));
        Assert.Equal(0, Pipeline("mine", "--data", data, "--out", run.Root, "--top", "6").ExitCode);
        Assert.Equal(0, Pipeline("plan", "--data", data, "--out", run.Root, "--batch-size", "4", "--negatives", "3").ExitCode);
        var scores = Path.Combine(_temp.Path, "scores.jsonl");
        File.WriteAllLines(scores, _data.Outputs.Select(o => new JsonObject { ["query_id"] = o.Key.Item1, ["passage_id"] = o.Key.Item2, ["logit"] = o.Value.Logit }.ToJsonString()));
        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data });
        TeacherImport.Import(scores, run.TeacherDirectory, PlanFile.Read(run.Plan, corpus));

        var result = Pipeline("train", "--data", data, "--out", run.Root, "--student", checkpoint, "--pma-heads", "2", "--iem-hidden", "16", "--frozen-backbone", "--max-steps", "4", "--eval-every", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"data: beir (asymmetric): 24 training queries, 8 held out (", result.Error, StringComparison.Ordinal);
        Assert.Contains("warning: the teacher store holds no features (y^T); FI (feature imitation) is switched off", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("train done after 4 steps", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.BestStudent, "student_config.json")));
    }

    [Fact]
    public void Train_DataThatDoesNotExist_IsOneErrorLineNamingIt()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");

        var result = Pipeline("train", "--data", missing, "--out", _temp.Path, "--student", _temp.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --data: ", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Pipeline(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }

    private (int ExitCode, string Output, string Error) Run(params string[] args) => Run(new Inputs(_data), args);

    private static (int ExitCode, string Output, string Error) Run(ITrainingInputs inputs, params string[] args)
    {
        var root = new RootCommand { Subcommands = { TrainStudentCommand.Create(inputs) } };
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(root, args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }

    private sealed class Inputs(TopicTrainingData data) : ITrainingInputs
    {
        public TrainingCorpus ReadCorpus(TrainingDataSettings settings, TextWriter output) => data.Corpus;

        public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => data.Plan;

        public ITeacherScores OpenTeacher(string teacherDirectory) => data.Teacher();
    }

    /// <summary>The corpus in memory (no data reader on this build), the plan and teacher store as the pipeline reads them.</summary>
    private sealed class FilesExceptData(TopicTrainingData data) : ITrainingInputs
    {
        private readonly PipelineTrainingInputs _pipeline = new();

        public TrainingCorpus ReadCorpus(TrainingDataSettings settings, TextWriter output) => data.Corpus;

        public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => _pipeline.ReadPlan(path, corpus);

        public ITeacherScores OpenTeacher(string teacherDirectory) => _pipeline.OpenTeacher(teacherDirectory);
    }
}
