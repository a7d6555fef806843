using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.TestUtilities;
using static Rerank.Trainer.Tests.CommandRuns;

namespace Rerank.Trainer.Tests.Cli;

/// <summary><c>rerank-train pretrained pack-heads</c>: float16 heads as the starter model ships them.</summary>
public sealed class PackHeadsCommandTests : IDisposable
{
    private static readonly StudentHeadsConfig Heads = new() { Dim = 8, PmaHeads = 2, IemHidden = 6, CosinePooling = EmbeddingPooling.Mean };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PackHeads_TrainedStudent_EveryWeightIsItsNearestHalf_AndConfigAndProvenanceKept()
    {
        var source = WriteStudent("best", interaction: "iem");
        var target = Path.Combine(_temp.Path, "packed");

        var result = Train(["pretrained", "pack-heads", "--student", source, "--out", target]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("weights in float16", result.Output);
        var original = StudentDirectory.Read(source);
        var packed = StudentDirectory.Read(target);
        Assert.Equal(original.Config, packed.Config);
        Assert.Equal(original.Query, packed.Query);
        using (var file = SafetensorsFile.Open(Path.Combine(target, StudentDirectory.Weights)))
        {
            Assert.All(original.Weights.Tensors, t => Assert.Equal(SafetensorsDtype.F16, file.Get(t.Name).Dtype));
        }

        foreach (var tensor in original.Weights.Tensors)
        {
            var values = packed.Weights.Get(tensor.Name, tensor.Shape).Values;
            for (var i = 0; i < values.Length; i++)
            {
                // Round to nearest even through System.Half, independently of the writer's conversion.
                Assert.Equal((float)(Half)tensor.Values[i], values[i]);
            }
        }

        Assert.Equal(File.ReadAllText(Path.Combine(source, TrainingProvenance.FileName)), File.ReadAllText(Path.Combine(target, TrainingProvenance.FileName)));
    }

    [Fact]
    public void PackHeads_AblationHeads_RefusedByName()
    {
        var source = WriteStudent("ablation", interaction: "cosine");

        var result = Train(["pretrained", "pack-heads", "--student", source, "--out", Path.Combine(_temp.Path, "packed")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("interaction cosine", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "packed")));
    }

    private string WriteStudent(string name, string interaction)
    {
        var directory = Path.Combine(_temp.Path, name);
        var weights = StudentHeadWeights.CreateRandom(Heads, seed: 7);
        StudentDirectory.Write(directory, Heads, weights, new TextLimits { MaxTokens = 64 }, new TextLimits { MaxTokens = 128 });
        new TrainingProvenance
        {
            Teacher = "import teacher.jsonl",
            TrainingData = "scifact",
            Losses = new Dictionary<string, double> { ["ri_ph"] = 1 },
            Metrics = new Dictionary<string, double> { ["heldout_mrr"] = 0.5 },
            Interaction = interaction,
        }.Write(directory);
        return directory;
    }
}
