using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rerank.Cli.Common;
using Rerank.CommandLine;

namespace Rerank.Cli.Quickstart;

/// <summary>
/// <c>rerank quickstart</c>: the whole product on one machine in one command. It builds a model bundle, starts the
/// embedded engine and the sidecar in front of it, indexes a collection through the sidecar (so every document gets its
/// passage vectors on the write path), checks that a search comes back reranked and prints the curl that shows it.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "A BEIR collection to index (corpus.jsonl, queries.jsonl); default: ../shared/data/scifact when present, else a built-in sample of 12 passages." };
        var urls = new Option<string>("--urls") { Description = "Where the sidecar listens.", DefaultValueFactory = _ => "http://127.0.0.1:9201" };
        var workDir = new Option<DirectoryInfo?>("--work-dir") { Description = "Where the model bundle and the engine's indices are kept (default: the rerank cache, ~/.cache/rerank/quickstart)." };
        var exit = new Option<bool>("--exit") { Description = "Stop after the check instead of serving until Ctrl+C." };
        data.NotAFile();
        workDir.NotAFile();
        Engine.ListenAddresses.AddValidator(urls);

        var command = new Command("quickstart", "Build a model, start the sidecar on the embedded engine, index a collection through it and print a curl that returns reranked hits (X-Rerank: applied). Ctrl+C stops it.")
        {
            data, urls, workDir, exit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(options => options.SingleLine = true));
            using var stop = new StopSignal(cancellationToken);

            var dataDirectory = parse.GetValue(data)?.FullName;
            if (dataDirectory is null && Directory.Exists(Path.Combine("..", "shared", "data", "scifact")))
            {
                dataDirectory = Path.GetFullPath(Path.Combine("..", "shared", "data", "scifact"));
            }

            var settings = new QuickstartSettings(
                dataDirectory,
                Engine.ListenAddresses.Split(parse.GetRequiredValue(urls)),
                parse.GetValue(workDir)?.FullName ?? Path.Combine(CachePaths.Root(), "quickstart"));

            QuickstartStack? stack = null;
            try
            {
                stack = await QuickstartStack.StartAsync(settings, output, logging, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsStopping)
            {
                if (stack is not null)
                {
                    await stack.DisposeAsync();
                }

                output.WriteLine("quickstart: stopping");
                return 0;
            }
            catch (Exception exception) when (exception is QuickstartException or IOException or HttpRequestException or InvalidOperationException or UnauthorizedAccessException)
            {
                UserErrors.Write(error, $"quickstart failed: {UserErrors.OneLine(exception)}");
                return CommandLineHost.UserErrorExitCode;
            }

            await using (stack)
            {
                if (!stack.Applied)
                {
                    UserErrors.Write(error, $"quickstart: the check search was not reranked (X-Rerank: {stack.CheckOutcome})");
                    return CommandLineHost.UserErrorExitCode;
                }

                if (parse.GetValue(exit))
                {
                    return 0;
                }

                await stop.WaitAsync(output, "quickstart");
            }

            return 0;
        });
        return command;
    }
}
