using System.Text;
using Rerank.TestUtilities;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Student;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Training;

/// <summary>Same seed, same result, bit for bit; a run cancelled mid-way and resumed equals one that was not.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TrainingDeterminismTests : IDisposable
{
    private static readonly string[] CheckpointFiles = ["heads/student_heads.safetensors", "lora/adapter_model.safetensors", "optimizer.safetensors"];

    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();
    private readonly string _checkpoint;

    public TrainingDeterminismTests() => _checkpoint = _data.WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_SameSeedTwiceWithLoraDropout_GivesBitIdenticalHeadsAdapterAndOptimizerState()
    {
        var first = Run("first", Options());
        var second = Run("second", Options());
        var otherSeed = Run("other", Options() with { Seed = 8 });

        Assert.Equal(6, first.Steps);
        foreach (var file in CheckpointFiles)
        {
            Assert.Equal(Read("first", file), Read("second", file));
        }

        Assert.Equal(Read("first", "train/best/student_heads.safetensors"), Read("second", "train/best/student_heads.safetensors"));
        Assert.Equal(Read("first", "train/best/lora/adapter_model.safetensors"), Read("second", "train/best/lora/adapter_model.safetensors"));

        // The seed matters (dropout masks and the adapter's initialisation differ), so the equality above is not vacuous.
        Assert.NotEqual(Read("first", CheckpointFiles[1]), Read("other", CheckpointFiles[1]));
        Assert.Equal(first.Last, second.Last);
        Assert.NotEqual(first.Last, otherSeed.Last);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_CancelledAtStepThreeThenResumed_EqualsTheUninterruptedRunBitForBit(bool frozen)
    {
        var options = Options() with { FrozenBackbone = frozen };
        var whole = Run("whole", options);

        using var cancellation = new CancellationTokenSource();
        var console = new CancellingWriter("step 3/6 ", cancellation);
        var interrupted = DistillationTrainer.Train(Source(), _data.Corpus, _data.Plan, _data.Teacher(), options, new RunLayout(Path.Combine(_temp.Path, "resumed")), console, cancellation.Token);
        Assert.True(interrupted.Cancelled);
        Assert.Equal(3, interrupted.Steps);

        var resumedConsole = new StringWriter();
        var resumed = DistillationTrainer.Train(Source(), _data.Corpus, _data.Plan, _data.Teacher(), options, new RunLayout(Path.Combine(_temp.Path, "resumed")), resumedConsole, TestContext.Current.CancellationToken);

        Assert.Contains("resuming from ", resumedConsole.ToString(), StringComparison.Ordinal);
        Assert.Equal(6, resumed.Steps);
        foreach (var file in CheckpointFiles.Where(f => !frozen || !f.StartsWith("lora/", StringComparison.Ordinal)))
        {
            Assert.Equal(Read("whole", file), Read("resumed", file));
        }

        // A frozen run reads the cached hidden states back instead of recomputing them.
        Assert.Equal(frozen, resumedConsole.ToString().Contains("cached hidden states read from", StringComparison.Ordinal));

        Assert.Equal(whole.Best, resumed.Best);
        Assert.Equal(whole.Initial, resumed.Initial);
        Assert.Equal(6, File.ReadLines(Path.Combine(_temp.Path, "resumed", "train", "log.jsonl")).Count(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Train_ResumeUnderOtherSettings_IsRefusedNamingTheDifference()
    {
        Run("run", Options() with { MaxSteps = 2 });

        var error = Assert.Throws<ArgumentException>(() => Run("run", Options() with { LearningRate = 5e-3 }));

        Assert.Contains("lr: checkpoint 0.002, now 0.005", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Run("run", Options() with { MaxSteps = 2, Resume = false }).Steps);

        // Starting over starts the log over too: one step-0 evaluation, two steps.
        var log = File.ReadAllLines(Path.Combine(_temp.Path, "run", "train", "log.jsonl"));
        Assert.Equal(2, log.Count(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal)));
        Assert.Single(log, l => l.Contains("\"type\":\"eval\"", StringComparison.Ordinal) && l.Contains("\"step\":0,", StringComparison.Ordinal));
    }

    private static TrainingOptions Options() => new()
    {
        LearningRate = 2e-3,
        WarmupSteps = 3,
        MaxSteps = 6,
        EvalEvery = 2,
        Patience = 0,
        CheckpointEvery = 100,
        LogEvery = 1,
        Seed = 4,
        TextBatch = 8,
        Lora = new LoraOptions { Rank = 2, Alpha = 4, Dropout = 0.2, Seed = 4 },
    };

    private TrainingResult Run(string name, TrainingOptions options) =>
        DistillationTrainer.Train(Source(), _data.Corpus, _data.Plan, _data.Teacher(), options with { Lora = options.Lora with { Seed = options.Seed } }, new RunLayout(Path.Combine(_temp.Path, name)), TextWriter.Null, TestContext.Current.CancellationToken);

    private StudentSource Source() => new() { Checkpoint = _checkpoint, Seed = 1, PmaHeads = 2, IemHidden = 32 };

    private byte[] Read(string run, string file) =>
        File.ReadAllBytes(Path.Combine(_temp.Path, run, file.StartsWith("train/", StringComparison.Ordinal) ? file : Path.Combine("train", "checkpoint", file)));

    /// <summary>Cancels when a line starting with the marker is written (the trainer checks the token before each step).</summary>
    private sealed class CancellingWriter(string marker, CancellationTokenSource cancellation) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(marker, StringComparison.Ordinal) == true)
            {
                cancellation.Cancel();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
