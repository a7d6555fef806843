using Rerank.CommandLine;

namespace Rerank.Cli.Tests;

/// <summary>Runs the real <c>rerank</c> command tree in-process, as Program.cs does, and captures what it prints.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(RerankCommand.Create(), args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
