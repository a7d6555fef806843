using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary><c>rerank-train train</c> run out of order or with options that leave nothing to do: one error line, exit 1.</summary>
public sealed class HostileTrainCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string RunDirectory => Path.Combine(_temp.Path, "run");

    private string Student => Path.Combine(_temp.Path, "student");

    [Fact]
    public void Train_BeforePlan_OneErrorLineSayingWhatToRun()
    {
        var data = Beir();
        Assert.Equal(0, Invoke("mine", "--data", data, "--out", RunDirectory).ExitCode);

        var result = Invoke("train", "--data", data, "--out", RunDirectory, "--student", Student);

        AssertOneErrorLine(result, $"{Path.Combine(RunDirectory, "plan.json")} does not exist; run rerank-train plan first.");
    }

    [Fact]
    public void Train_BeforeTeacher_OneErrorLineSayingWhatToRun()
    {
        var data = Beir();
        Assert.Equal(0, Invoke("mine", "--data", data, "--out", RunDirectory).ExitCode);
        Assert.Equal(0, Invoke("plan", "--data", data, "--out", RunDirectory, "--batch-size", "2").ExitCode);

        var result = Invoke("train", "--data", data, "--out", RunDirectory, "--student", Student);

        AssertOneErrorLine(result, "no merged teacher store; run rerank-train teacher");
        Assert.False(Directory.Exists(Path.Combine(RunDirectory, "train")));
    }

    [Theory]
    [InlineData("--max-steps", "0")]
    [InlineData("--eval-every", "0")]
    [InlineData("--epochs", "0")]
    [InlineData("--checkpoint-every", "-1")]
    [InlineData("--text-batch", "0")]
    public void Train_OptionLeavingNothingToDo_OneErrorLineNamingTheOption(string option, string value)
    {
        var result = Invoke("train", "--data", Beir(), "--out", RunDirectory, "--student", Student, option, value);

        AssertOneErrorLine(result, option);
        Assert.Contains(value, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-steps", "0")]
    [InlineData("--batch-size", "1")]
    [InlineData("--negatives", "0")]
    public void Run_OptionLeavingNothingToDo_OneErrorLineNamingTheOptionBeforeAnyStage(string option, string value)
    {
        var result = Invoke("run", "--data", Beir(), "--out", RunDirectory, "--teacher", Student, "--student", Student, option, value);

        AssertOneErrorLine(result, option);
        Assert.False(File.Exists(Path.Combine(RunDirectory, "negatives.jsonl")));
    }

    private static void AssertOneErrorLine((int ExitCode, string Output, string Error) result, string expected)
    {
        // train reports the data it read on stderr first; the error is then the one last line, with no stack trace.
        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal(lines[^1], error);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private string Beir() => new BeirFolderBuilder()
        .Document("d1", "Cats", "cats purr and sleep")
        .Document("d2", "Dogs", "dogs bark and run")
        .Document("d3", "Birds", "birds sing and fly")
        .Document("d4", "Fish", "fish swim and hide")
        .Document("d5", "", "cats and dogs play")
        .Query("q1", "do cats purr")
        .Query("q2", "why do dogs bark")
        .Query("q3", "can birds fly")
        .Query("q4", "how do fish swim")
        .Judgment("q1", "d1", 1)
        .Judgment("q2", "d2", 1)
        .Judgment("q3", "d3", 1)
        .Judgment("q4", "d4", 1)
        .WriteTo(Path.Combine(_temp.Path, "beir"), "train");

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
