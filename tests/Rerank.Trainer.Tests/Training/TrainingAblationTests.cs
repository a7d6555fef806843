using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Student;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Training;

/// <summary>The pooling and interaction ablations train what they use and leave the rest as it started.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TrainingAblationTests : IDisposable
{
    private static readonly StudentHeadsConfig Heads = new() { Dim = 32, PmaHeads = 2, IemHidden = 16 };

    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();
    private readonly string _checkpoint;

    public TrainingAblationTests() => _checkpoint = _data.WriteCheckpoint(Path.Combine(_temp.Path, "checkpoint"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_LastTokenPoolingOnAFrozenBackbone_TrainsTheIemAndLeavesPmaAsItStarted()
    {
        var result = Train(new TrainingOptions { FrozenBackbone = true, Pooling = StudentPooling.LastToken, MaxSteps = 3, LearningRate = 1e-2, WarmupSteps = 0 });

        var (start, end) = (StudentHeadWeights.CreateRandom(Heads, seed: 1), CheckpointHeads());
        Assert.Equal(3, result.Steps);
        Assert.All(Names("pma."), n => Assert.Equal(start.Get(n.Name, n.Shape).Values, end.Get(n.Name, n.Shape).Values));
        Assert.All(Names("iem.fc1.weight", "iem.branches.1.weight", "iem.head."), n => Assert.NotEqual(start.Get(n.Name, n.Shape).Values, end.Get(n.Name, n.Shape).Values));
    }

    [Fact]
    public void Train_MeanPoolingAndCosineWithLora_TrainsOnlyTheAdapterAndKeepsFiOnTheCosineTerms()
    {
        var console = new StringWriter();

        var result = Train(new TrainingOptions { Pooling = StudentPooling.Mean, Interaction = StudentInteraction.Cosine, MaxSteps = 3, LearningRate = 1e-2, WarmupSteps = 0, Lora = new LoraOptions { Rank = 2, Alpha = 2 } }, console);

        Assert.True(result.FeatureImitation);
        Assert.DoesNotContain("warning", console.ToString(), StringComparison.Ordinal);
        var (start, end) = (StudentHeadWeights.CreateRandom(Heads, seed: 1), CheckpointHeads());
        Assert.All(Names(""), n => Assert.Equal(start.Get(n.Name, n.Shape).Values, end.Get(n.Name, n.Shape).Values));
        using var adapter = SafetensorsFile.Open(Path.Combine(_temp.Path, "train", "checkpoint", "lora", LoraFiles.Weights));
        Assert.Contains(adapter.Tensors, t => t.Name.EndsWith("lora_B.weight", StringComparison.Ordinal) && adapter.ReadSingles(t.Name).Any(v => v != 0));
    }

    private TrainingResult Train(TrainingOptions options, TextWriter? console = null) =>
        DistillationTrainer.Train(
            new StudentSource { Checkpoint = _checkpoint, Seed = 1, PmaHeads = Heads.PmaHeads, IemHidden = Heads.IemHidden },
            _data.Corpus,
            _data.Plan,
            _data.Teacher(),
            options with { EvalEvery = 100, CheckpointEvery = 100, Patience = 0 },
            new RunLayout(_temp.Path),
            console ?? TextWriter.Null,
            TestContext.Current.CancellationToken);

    private WeightSet CheckpointHeads() => StudentDirectory.Read(Path.Combine(_temp.Path, "train", "checkpoint", "heads")).Weights;

    private static IEnumerable<(string Name, long[] Shape)> Names(params string[] prefixes) =>
        StudentHeadWeights.ParameterShapes(Heads).Select(p => (p.Name, p.Shape)).Where(n => prefixes.Any(p => n.Name.StartsWith(p, StringComparison.Ordinal)));
}
