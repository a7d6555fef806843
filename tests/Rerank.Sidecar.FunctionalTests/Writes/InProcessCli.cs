using System.CommandLine;
using Rerank.Cli;
using Rerank.CommandLine;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>Runs the real <c>rerank</c> command tree in-process, as Program.cs does, and captures what it prints.</summary>
internal static class InProcessCli
{
    public static async Task<CliOutput> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineHost.InvokeAsync(
            RerankCommand.Create(), args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken: TestContext.Current.CancellationToken);
        return new CliOutput(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts exit code 0.</summary>
    public static async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"rerank {string.Join(' ', args)}: exit {result.ExitCode}: {result.Error}");
        return result.Output;
    }
}
