using System.CommandLine;
using System.Text.Json;
using Rerank.CommandLine;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests;

/// <summary>The two executables' commands run in process, as a user runs them, with their output captured.</summary>
internal static class CommandRuns
{
    /// <summary><c>rerank-train</c> with <paramref name="args"/>.</summary>
    public static (int ExitCode, string Output, string Error) Train(string[] args) => Invoke(TrainCommand.Create(), args);

    /// <summary><c>rerank</c> with <paramref name="args"/>.</summary>
    public static (int ExitCode, string Output, string Error) RerankCli(string[] args) => Invoke(global::Rerank.Cli.RerankCommand.Create(), args);

    /// <summary>The <c>logits</c> array of a successful <c>score --json</c>.</summary>
    public static float[] Logits((int ExitCode, string Output, string Error) result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        return [.. document.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle())];
    }

    private static (int ExitCode, string Output, string Error) Invoke(RootCommand root, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(root, args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
