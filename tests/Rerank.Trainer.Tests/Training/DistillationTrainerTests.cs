using Rerank.Model.Heads;
using Rerank.TestUtilities;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Student;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Training;

/// <summary>Training runs on the tiny topic task (<see cref="TopicTrainingData"/>): learning, teacher problems.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class DistillationTrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_FrozenBackboneOnALearnableTeacher_PooledSpearmanRisesClearlyAboveStepZero()
    {
        var data = new TopicTrainingData(queriesPerPassage: 3);
        var console = new StringWriter();
        var options = new TrainingOptions
        {
            FrozenBackbone = true,
            LearningRate = 3e-3,
            WarmupSteps = 0,
            Epochs = 10,
            EvalEvery = 45,
            Patience = 0,
            CheckpointEvery = 1000,
            LogEvery = 45,
            Seed = 3,
        };

        var result = DistillationTrainer.Train(Source(data), data.Corpus, data.Plan, data.Teacher(), options, new RunLayout(_temp.Path), console, TestContext.Current.CancellationToken);

        output.WriteLine(console.ToString());
        Assert.Equal(180, result.Steps);
        Assert.True(result.FeatureImitation);
        var before = result.Initial!.PooledSpearman;
        var after = result.Best!.PooledSpearman;
        Assert.True(after >= before + 0.35, $"pooled Spearman {before:F3} -> {after:F3}");
        Assert.True(after > 0.4, $"pooled Spearman after training {after:F3}");

        // The best student is a student directory with the text limits, no adapter (frozen backbone), and the log has every term of every step.
        var best = StudentDirectory.Read(result.BestStudent);
        Assert.NotNull(best.Query);
        Assert.False(Directory.Exists(Path.Combine(result.BestStudent, "lora")));
        var steps = File.ReadLines(Path.Combine(_temp.Path, "train", "log.jsonl")).Where(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(180, steps.Count);
        Assert.All(steps, l => Assert.All(new[] { "\"inbatch\"", "\"ci\"", "\"ri_ph\"", "\"ri_hi\"", "\"fi\"", "\"total\"", "\"lr\"" }, t => Assert.Contains(t, l, StringComparison.Ordinal)));
        Assert.Contains("step 45/180 epoch 3 inbatch ", console.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "train", "frozen-states.safetensors")));
    }

    [Fact]
    public void Train_MetricThatStopsImproving_StopsEarlyAfterThePatienceAndKeepsTheStepZeroStudent()
    {
        // A rate of 1e-12 leaves every logit's rank as it was, so no evaluation is strictly better than step 0's.
        var console = new StringWriter();
        var options = new TrainingOptions { FrozenBackbone = true, LearningRate = 1e-12, WarmupSteps = 0, EvalEvery = 1, Patience = 2, LogEvery = 100 };

        var result = DistillationTrainer.Train(Source(), _data.Corpus, _data.Plan, _data.Teacher(), options, new RunLayout(_temp.Path), console, TestContext.Current.CancellationToken);

        Assert.True(result.StoppedEarly);
        Assert.Equal(2, result.Steps);
        Assert.Equal(0, result.Best!.Step);
        Assert.Equal(result.Initial, result.Best);
        Assert.Contains("early stop at step 2: 2 evaluations without a better PooledSpearman", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"step\": 0", File.ReadAllText(Path.Combine(result.BestStudent, "training.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_MaxStepsBeyondTheEpochs_OverridesThemAndCyclesThroughThePlan()
    {
        var console = new StringWriter();

        var result = DistillationTrainer.Train(
            Source(), _data.Corpus, _data.Plan, _data.Teacher(), new TrainingOptions { FrozenBackbone = true, Epochs = 1, MaxSteps = 8, LogEvery = 1 }, new RunLayout(_temp.Path), console, TestContext.Current.CancellationToken);

        // The plan has 6 batches per grouping: steps 7 and 8 start the second pass.
        Assert.Equal(6, _data.Plan.BatchesPerGrouping);
        Assert.Equal(8, result.Steps);
        Assert.Contains("step 6/8 epoch 1 ", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("step 7/8 epoch 2 ", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TeacherStoreWithoutAPlanPair_FailsNamingThePair()
    {
        var outputs = new Dictionary<(string, string), Rerank.Trainer.Teacher.TeacherOutput>(_data.Outputs);
        var batch = _data.Plan.Batches[2].Queries[1];
        outputs.Remove((batch.QueryId, batch.HardNegatives[0]));
        var teacher = new InMemoryTeacherScores(outputs, 6);

        var error = Assert.Throws<InvalidDataException>(() => DistillationTrainer.Train(
            Source(), _data.Corpus, _data.Plan, teacher, new TrainingOptions { FrozenBackbone = true, MaxSteps = 1 }, new RunLayout(_temp.Path), TextWriter.Null, TestContext.Current.CancellationToken));

        Assert.StartsWith($"the teacher store has no output for query '{batch.QueryId}' and passage '{batch.HardNegatives[0]}'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "train", "checkpoint")));
    }

    [Fact]
    public void Train_TeacherStoreWithoutFeatures_SwitchesFiOffWithAWarningAndTrains()
    {
        var console = new StringWriter();

        var result = DistillationTrainer.Train(
            Source(), _data.Corpus, _data.Plan, _data.Teacher(features: false), new TrainingOptions { FrozenBackbone = true, MaxSteps = 3, LogEvery = 1 }, new RunLayout(_temp.Path), console, TestContext.Current.CancellationToken);

        Assert.False(result.FeatureImitation);
        Assert.Equal(3, result.Steps);
        var lines = console.ToString().Split('\n');
        Assert.Contains("warning: the teacher store holds no features (y^T); FI (feature imitation) is switched off", lines.Select(l => l.TrimEnd('\r')));
        Assert.DoesNotContain(lines, l => l.Contains(" fi ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("step 3/3 epoch 1 inbatch ", StringComparison.Ordinal));
    }

    private StudentSource Source(TopicTrainingData? data = null) => new()
    {
        Checkpoint = (data ?? _data).WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint")),
        Seed = 1,
        PmaHeads = 2,
        IemHidden = 32,
    };
}
