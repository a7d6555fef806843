using System.CommandLine;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Cli;

public sealed class InitCheckpointCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void InitCheckpoint_Qwen2Bf16Sharded_WritesAHuggingFaceDirectory()
    {
        var result = Run("init-checkpoint", "--out", _temp.Path, "--arch", "qwen2", "--layers", "3", "--hidden", "32", "--heads", "4",
            "--kv-heads", "2", "--intermediate", "48", "--dtype", "bf16", "--shard-size", "8KiB", "--seed", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.StartsWith($"Qwen2ForCausalLM written to {_temp.Path}", result.Output, StringComparison.Ordinal);
        foreach (var file in new[] { "config.json", "generation_config.json", "model.safetensors.index.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
        {
            Assert.True(File.Exists(Path.Combine(_temp.Path, file)), file);
        }

        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        Assert.Equal(3, checkpoint.Config.Decoder.NumLayers);
        Assert.Equal(48, checkpoint.Config.Decoder.IntermediateSize);
        Assert.Equal(SafetensorsDtype.BF16, checkpoint.Config.TorchDtype);
        Assert.All(checkpoint.Files, f => Assert.True(f.Tensors.Count == 1 || f.Length <= 8192 + 4096, f.Path));

        var inspect = Run("inspect-checkpoint", _temp.Path);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("tokenizer WordPiece (vocab.txt)", inspect.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shard-size", "lots", "error: --shard-size: 'lots' is not a size (bytes, or a number with KB, MB, GB, KiB, MiB or GiB).")]
    [InlineData("--kv-heads", "3", "error: Invalid model shape: num_attention_heads 4 is not a multiple of num_key_value_heads 3.")]
    public void InitCheckpoint_BadOption_IsOneErrorLine(string option, string value, string expected)
    {
        var result = Run("init-checkpoint", "--out", _temp.Path, option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + Environment.NewLine, result.Error);
    }

    [Fact]
    public void InspectCheckpoint_Broken_ListsTheProblems()
    {
        Run("init-checkpoint", "--out", _temp.Path, "--hidden", "16", "--heads", "2", "--kv-heads", "1");
        File.Delete(Path.Combine(_temp.Path, "model.safetensors"));

        var result = Run("inspect-checkpoint", _temp.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json is there", result.Error, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
