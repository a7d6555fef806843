using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rerank.Cli.Common;
using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.Cli.Engine;

/// <summary><c>rerank engine</c>: the embedded Elasticsearch-compatible engine on Lucene.Net, in the foreground.</summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Where the indices live (default: $RERANK_DATA_DIR/engine, else ~/.local/share/rerank/engine)." };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';' (port 0 picks a free port).", DefaultValueFactory = _ => "http://127.0.0.1:9200" };
        var maxContent = new Option<long>("--max-content-length") { Description = "Largest request body in bytes (http.max_content_length).", DefaultValueFactory = _ => 100L * 1024 * 1024 };
        maxContent.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 1)
            {
                r.AddError("--max-content-length must be at least 1.");
            }
        });

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
                Urls = parse.GetRequiredValue(urls).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                MaxContentLength = parse.GetValue(maxContent),
            };

            // Kestrel's per-request lines would drown what the engine says; its warnings and errors still show.
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddSimpleConsole(options => options.SingleLine = true));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            // Ctrl+C and SIGTERM (docker stop, systemd) stop the engine the same way: indices are committed and closed.
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            EngineHost host;
            try
            {
                host = await EngineHost.StartAsync(options, logging, cancellationToken: stop.Token);
            }
            catch (IOException exception)
            {
                // An address in use or an unreadable data directory: the user can fix both.
                parse.InvocationConfiguration.Error.WriteLine($"error: {exception.Message}");
                return 1;
            }

            await using (host)
            {
                output.WriteLine($"engine: {host.IndexNames.Count} indices in {options.DataDirectory}");
                foreach (var url in host.Urls)
                {
                    output.WriteLine($"engine: listening on {url.ToString().TrimEnd('/')}");
                }

                output.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine("engine: stopping");
                }
            }

            return 0;
        });
        return command;
    }
}
