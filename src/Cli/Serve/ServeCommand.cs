using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rerank.Cli.Common;
using Rerank.Cli.Engine;
using Rerank.CommandLine;
using Rerank.IngestPipeline.Encoding;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Search;

namespace Rerank.Cli.Serve;

/// <summary>
/// <c>rerank serve</c>: the sidecar in the foreground, in front of <c>--cluster</c> or, without one, of the embedded
/// engine started in-process on a free loopback port (the same forwarding path either way; docs/sidecar.md).
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that holds the admin key when <c>--admin-key</c> is not given.</summary>
    internal const string AdminKeyVariable = "RERANK_ADMIN_KEY";

    public static Command Create()
    {
        var cluster = new Option<string?>("--cluster") { Description = "The Elasticsearch cluster to front (http(s)://host:port). Default: the embedded engine, started in-process." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The embedded engine's indices when there is no --cluster (default: $RERANK_DATA_DIR/engine, else ~/.local/share/rerank/engine)." };
        var models = new Option<DirectoryInfo?>("--models") { Description = "Model bundles: a bundle directory, or a directory with one bundle per subdirectory (reloaded when they change)." };
        var urls = new Option<string>("--urls") { Description = "Addresses the sidecar listens on, separated by ';' (port 0 picks a free port).", DefaultValueFactory = _ => "http://127.0.0.1:9201" };
        var encodeBatch = new Option<int>("--encode-batch") { Description = "Passages per model call on the write path, at most.", DefaultValueFactory = _ => new EncodingOptions().MaxBatch }.AtLeast(1);
        var encodeDelay = new Option<int>("--encode-delay-ms") { Description = "How long a write-path batch waits for more passages after its first, in milliseconds (0: encode what is queued at once).", DefaultValueFactory = _ => (int)new EncodingOptions().MaxDelay.TotalMilliseconds }.AtLeast(0);
        var encodeTimeout = new Option<int>("--encode-timeout-ms") { Description = "How long the model may go without finishing a batch while a write waits on it, in milliseconds; then the write's documents are written without vectors, marked stale (timeout).", DefaultValueFactory = _ => (int)new EncodingOptions().EncodeTimeout.TotalMilliseconds }.AtLeast(1);
        var encodeMaxWait = new Option<int>("--encode-max-wait-ms") { Description = "The longest a write waits for its vectors in all, however busy the model is, in milliseconds (at least --encode-timeout-ms).", DefaultValueFactory = _ => (int)new EncodingOptions().MaxWait.TotalMilliseconds }.AtLeast(1);
        var adminKey = new Option<string?>("--admin-key") { Description = $"Turns on the admin endpoints under /_rerank/_admin/ and is the key they ask for (header X-Rerank-Admin-Key). Default: the environment variable {AdminKeyVariable}; neither: the endpoints are off." };
        dataDir.NotAFile();
        models.NotAFile();
        cluster.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && !TryParseCluster(value, out _))
            {
                r.AddError($"--cluster: '{value}' is not an http(s)://host:port URL.");
            }
        });
        models.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } missing)
            {
                r.AddError($"--models: the directory '{missing.FullName}' does not exist.");
            }
        });
        ListenAddresses.AddValidator(urls);
        adminKey.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
            {
                r.AddError("--admin-key: the key must not be empty.");
            }
        });

        var command = new Command("serve", "Run the sidecar: forwards every request to the cluster (or the embedded engine), checks _meta.rerank, serves /_rerank/health and /_rerank/metrics, and /_rerank/_admin/ with an admin key (docs/sidecar.md). Ctrl+C stops it.")
        {
            cluster, dataDir, models, urls, encodeBatch, encodeDelay, encodeTimeout, encodeMaxWait, adminKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddFilter("Yarp", LogLevel.Warning)
                .AddSimpleConsole(options => options.SingleLine = true));
            using var stop = new StopSignal(cancellationToken);

            EngineHost? engine = null;
            string? key, keySource;
            SidecarHost? sidecar = null;
            try
            {
                Uri upstream;
                if (parse.GetValue(cluster) is { } clusterUrl)
                {
                    TryParseCluster(clusterUrl, out upstream);
                }
                else
                {
                    var engineOptions = new EngineHostOptions
                    {
                        DataDirectory = parse.GetValue(dataDir)?.FullName ?? DataPaths.Engine(),
                        Urls = ["http://127.0.0.1:0"],
                    };
                    engine = await EngineHost.StartAsync(engineOptions, logging, cancellationToken: stop.Token);
                    upstream = engine.Urls[0];
                    output.WriteLine($"serve: embedded engine ({engine.IndexNames.Count} indices in {engineOptions.DataDirectory}) on {upstream.ToString().TrimEnd('/')}");
                }

                (key, keySource) = ResolveAdminKey(parse.GetValue(adminKey), Environment.GetEnvironmentVariable(AdminKeyVariable));
                var options = new SidecarOptions
                {
                    Upstream = upstream,
                    Urls = ListenAddresses.Split(parse.GetRequiredValue(urls)),
                    ModelsDirectory = parse.GetValue(models)?.FullName,
                    Encoding = new EncodingOptions
                    {
                        MaxBatch = parse.GetValue(encodeBatch),
                        MaxDelay = TimeSpan.FromMilliseconds(parse.GetValue(encodeDelay)),
                        EncodeTimeout = TimeSpan.FromMilliseconds(parse.GetValue(encodeTimeout)),
                        MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(encodeMaxWait)),
                    },
                    Search = new SearchOptions { AdminKey = key },
                };
                sidecar = await SidecarHost.StartAsync(options, logging, cancellationToken: stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsStopping)
            {
                await DisposeAsync(sidecar, engine);
                output.WriteLine("serve: stopping");
                return 0;
            }
            catch (Exception exception)
            {
                await DisposeAsync(sidecar, engine);
                var message = exception is OptionsValidationException validation
                    ? string.Join("; ", validation.Failures)
                    : UserErrors.OneLine(exception);
                UserErrors.Write(error, $"the sidecar did not start: {message}");
                return CommandLineHost.UserErrorExitCode;
            }

            output.WriteLine($"serve: forwarding to {sidecar.Upstream.ToString().TrimEnd('/')}");
            foreach (var url in sidecar.Urls)
            {
                output.WriteLine($"serve: listening on {url.ToString().TrimEnd('/')}");
            }

            // Where the key came from, never the key.
            output.WriteLine(keySource is null
                ? $"serve: admin endpoints off (no --admin-key or {AdminKeyVariable})"
                : $"serve: admin endpoints on /_rerank/_admin/ (key from {keySource})");

            await stop.WaitAsync(output, "serve");

            await DisposeAsync(sidecar, engine);
            return 0;
        });
        return command;
    }

    /// <summary>The key the admin endpoints ask for and where it came from: <c>--admin-key</c> wins over the variable; an empty variable is unset.</summary>
    internal static (string? Key, string? Source) ResolveAdminKey(string? option, string? environment) =>
        option is not null ? (option, "--admin-key")
        : !string.IsNullOrWhiteSpace(environment) ? (environment, AdminKeyVariable)
        : (null, null);

    private static bool TryParseCluster(string value, out Uri url) =>
        Uri.TryCreate(value, UriKind.Absolute, out url!)
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && url.Host.Length > 0;

    private static async Task DisposeAsync(SidecarHost? sidecar, EngineHost? engine)
    {
        // The sidecar first, so nothing is forwarded to an engine that is closing.
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        if (engine is not null)
        {
            await engine.DisposeAsync();
        }
    }
}
