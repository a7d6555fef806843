using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Weights;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary><c>eval rerank --baseline cosine</c>: what it refuses, and the errors a checkpoint it cannot use gives.</summary>
public sealed class EvalRerankBaselineTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EvalRerank_BaselineWithoutCheckpoint_AsksForIt()
    {
        var result = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--data", WriteCollection());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --baseline cosine needs --checkpoint (a BERT checkpoint directory).{Environment.NewLine}", result.Error);
    }

    [Theory]
    [InlineData("--checkpoint", "ckpt")]
    [InlineData("--pooling", "cls")]
    public void EvalRerank_BaselineOptionWithoutBaseline_NeedsBaseline(string option, string value)
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "ckpt"));
        var argument = option == "--checkpoint" ? Path.Combine(_temp.Path, value) : value;

        var result = CliRunner.Run("eval", "rerank", "--model", Path.Combine(_temp.Path, "bundle"), "--data", WriteCollection(), option, argument);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{option} needs --baseline cosine.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--branch")]
    [InlineData("--projection-encoding")]
    public void EvalRerank_StudentOptionWithBaseline_Refused(string option)
    {
        var value = option switch
        {
            "--model" => _temp.Path,
            "--branch" => "sym",
            _ => "int8",
        };

        var result = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--checkpoint", _temp.Path, "--data", WriteCollection(), option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{option} is not supported with --baseline", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalRerank_UnknownBaselineOrPooling_ListsTheChoices()
    {
        var baseline = CliRunner.Run("eval", "rerank", "--baseline", "bm25", "--checkpoint", _temp.Path, "--data", WriteCollection());
        var pooling = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--checkpoint", _temp.Path, "--pooling", "max", "--data", WriteCollection());

        Assert.NotEqual(0, baseline.ExitCode);
        Assert.Contains("'bm25'", baseline.Error, StringComparison.Ordinal);
        Assert.Contains("cosine", baseline.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, pooling.ExitCode);
        Assert.Contains("'max'", pooling.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalRerank_DecoderCheckpoint_RefusedNamingConfigJson()
    {
        var checkpoint = Path.Combine(_temp.Path, "llama");
        var config = new BackboneConfig
        {
            Architecture = BackboneArchitecture.Llama,
            VocabSize = 32,
            HiddenSize = 8,
            IntermediateSize = 16,
            NumLayers = 1,
            NumHeads = 2,
            NumKeyValueHeads = 1,
        };
        Write(checkpoint, config, DecoderWeights.CreateRandom(config, seed: 1));

        var result = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--checkpoint", checkpoint, "--data", WriteCollection());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: {Path.Combine(checkpoint, "config.json")}: model_type 'llama' is not supported by --baseline cosine (bert checkpoints are){Environment.NewLine}",
            result.Error);
    }

    [Fact]
    public void EvalRerank_CheckpointMissingATensor_OneLineNamingIt()
    {
        var checkpoint = Path.Combine(_temp.Path, "bert");
        var config = TinyBert();
        var weights = new WeightSet(BertWeights.CreateRandom(config, seed: 2).Tensors.Where(t => t.Name != "encoder.layer.0.attention.self.query.weight"));
        Write(checkpoint, config, weights);

        var result = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--checkpoint", checkpoint, "--data", WriteCollection());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: Checkpoint {checkpoint} cannot be loaded: {checkpoint}: tensor 'encoder.layer.0.attention.self.query.weight' is missing (looked in model.safetensors){Environment.NewLine}",
            result.Error);
    }

    [Fact]
    public void EvalRerank_CheckpointWithoutVocabulary_NamesVocabTxt()
    {
        var checkpoint = Path.Combine(_temp.Path, "bert");
        var config = TinyBert();
        Write(checkpoint, config, BertWeights.CreateRandom(config, seed: 3));

        var result = CliRunner.Run("eval", "rerank", "--baseline", "cosine", "--checkpoint", checkpoint, "--data", WriteCollection());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{Path.Combine(checkpoint, "vocab.txt")}: not found", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static BackboneConfig TinyBert() => new()
    {
        Architecture = BackboneArchitecture.Bert,
        VocabSize = 16,
        HiddenSize = 8,
        IntermediateSize = 16,
        NumLayers = 1,
        NumHeads = 2,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 32,
        TypeVocabSize = 2,
        LayerNormEps = 1e-12,
    };

    private static void Write(string directory, BackboneConfig config, WeightSet weights) =>
        HfCheckpointWriter.Write(
            directory,
            new HfModelConfig { Decoder = config },
            [.. weights.Tensors.Select(t => SafetensorsWriteEntry.FromSingles(t.Name, SafetensorsDtype.F32, t.Shape, t.Values))]);

    private string WriteCollection() => new BeirFolderBuilder()
        .Document("d1", "", "apple pie")
        .Query("q1", "apple")
        .Judgment("q1", "d1", 1)
        .WriteTo(Path.Combine(_temp.Path, "data-" + Guid.NewGuid().ToString("N")[..8]));
}
