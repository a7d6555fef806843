using System.CommandLine;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Cli;

/// <summary><c>rerank-train</c> reports a user's mistake as <c>rerank</c> does: <c>error:</c> lines, exit 1, no stack trace.</summary>
public sealed class TrainCommandErrorTests : IDisposable
{
    private static readonly Type[] Numeric = [typeof(int), typeof(long), typeof(float), typeof(double)];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void InitCheckpoint_LayersGivenText_IsOneErrorLineNamingOptionAndValue()
    {
        var result = Run("init-checkpoint", "--out", _temp.Path, "--layers", "abc");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains("'abc'", line, StringComparison.Ordinal);
        Assert.Contains("--layers", line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void EveryNumberOptionOfEveryCommandGivenText_IsAnErrorLineNotACrash()
    {
        var checkedOptions = 0;
        foreach (var (path, option) in NumberOptions(TrainCommand.Create(), []))
        {
            var result = Run([.. path, option.Name, "abc"]);

            Assert.True(result.ExitCode == 1, $"{string.Join(' ', path)} {option.Name} abc: exit {result.ExitCode}, {result.Error}");
            Assert.All(Lines(result.Error), l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
            Assert.Contains(Lines(result.Error), l => l.Contains("'abc'", StringComparison.Ordinal) && l.Contains(option.Name, StringComparison.Ordinal));
            checkedOptions++;
        }

        // init-checkpoint: --layers --hidden --heads --kv-heads --intermediate --max-positions --vocab-size --seed (8);
        // export and score: --seed --pma-heads --iem-hidden (3 each).
        Assert.True(checkedOptions >= 14, $"only {checkedOptions} number options found");
    }

    [Fact]
    public void InitCheckpoint_TensorLargerThanAnArray_IsOneErrorLineNamingIt()
    {
        var result = Run("init-checkpoint", "--out", _temp.Path, "--hidden", "100000", "--layers", "2000000000");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(Lines(result.Error));
        Assert.StartsWith("error: Invalid model shape: tensor model.layers.0.mlp.gate_proj.weight [300000, 100000] would hold 30000000000 values", line, StringComparison.Ordinal);
        Assert.Contains("(init-checkpoint writes test checkpoints of at most 64 GiB).", line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Score_EmptyPassagesFile_FailsNamingIt()
    {
        var empty = _temp.WriteFile("empty.txt", "");

        var result = Run("score", "--checkpoint", Path.Combine(_temp.Path, "no-checkpoint"), "--query", "q", "--passages", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --passages: {empty} is empty; it needs one passage per line.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Score_PassageWithInvalidUtf8_FailsNamingFileAndLine()
    {
        var passages = _temp.WriteBytes("bad.txt", [.. "one\n\ntwo "u8, 0xC0, 0xAF, .. "\n"u8]); // an overlong '/', never valid

        var result = Run("score", "--checkpoint", Path.Combine(_temp.Path, "no-checkpoint"), "--query", "q", "--passages", passages);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --passages: {passages}:3: not valid UTF-8.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Export_OutIsAFile_FailsNamingItWithoutTouchingIt()
    {
        var file = _temp.WriteFile("bundle", "x");

        var result = Run("export", "--checkpoint", _temp.Path, "--out", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --out: {file} is a file, not a directory.{Environment.NewLine}", result.Error);
        Assert.Equal("x", File.ReadAllText(file));
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<(string[] Path, Option Option)> NumberOptions(Command command, string[] path)
    {
        if (command.Action is not null)
        {
            foreach (var option in command.Options)
            {
                if (Numeric.Contains(Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType))
                {
                    yield return (path, option);
                }
            }
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var found in NumberOptions(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }
}
