using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.Cli.Engine;

/// <summary><c>rerank engine</c>: the embedded Elasticsearch-compatible engine on Lucene.Net, in the foreground.</summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Where the indices live (default: $RERANK_DATA_DIR/engine, else ~/.local/share/rerank/engine)." };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';' (port 0 picks a free port).", DefaultValueFactory = _ => "http://127.0.0.1:9200" };
        var maxContent = new Option<long>("--max-content-length") { Description = "Largest request body in bytes (http.max_content_length).", DefaultValueFactory = _ => 100L * 1024 * 1024 }.AtLeast(1L);
        dataDir.NotAFile();
        ListenAddresses.AddValidator(urls);

        var command = new Command("engine", "Run the embedded engine: a subset of Elasticsearch's REST API on Lucene.Net (docs/embedded-engine.md). Ctrl+C stops it.")
        {
            dataDir, urls, maxContent,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new EngineHostOptions
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName ?? DataPaths.Engine(),
                Urls = ListenAddresses.Split(parse.GetRequiredValue(urls)),
                MaxContentLength = parse.GetValue(maxContent),
            };

            // Kestrel's per-request lines would drown what the engine says; its warnings and errors still show.
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddSimpleConsole(options => options.SingleLine = true));
            using var stop = new StopSignal(cancellationToken);
            EngineHost host;
            try
            {
                host = await EngineHost.StartAsync(options, logging, cancellationToken: stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsStopping)
            {
                // Ctrl+C or SIGTERM during start-up: nothing was served, so nothing to report.
                output.WriteLine("engine: stopping");
                return 0;
            }
            catch (Exception exception)
            {
                // Whatever stops start-up (an address in use or not valid, a data directory that cannot be used) is
                // reported as one line: the engine names the value or file in its message.
                UserErrors.Write(parse.InvocationConfiguration.Error, $"the engine did not start: {UserErrors.OneLine(exception)}");
                return CommandLineHost.UserErrorExitCode;
            }

            await using (host)
            {
                output.WriteLine($"engine: {host.IndexNames.Count} indices in {options.DataDirectory}");
                foreach (var url in host.Urls)
                {
                    output.WriteLine($"engine: listening on {url.ToString().TrimEnd('/')}");
                }

                await stop.WaitAsync(output, "engine");
            }

            return 0;
        });
        return command;
    }
}
