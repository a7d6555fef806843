using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;

namespace Rerank.Cli.Bench;

/// <summary>
/// <c>rerank bench search</c>: the same queries straight to the upstream, through the sidecar reranked, and through the
/// sidecar passed through, interleaved in one run against servers on this machine (<see cref="SearchBenchmark"/>).
/// </summary>
internal static class SearchBenchCommand
{
    public static Command Create()
    {
        var sidecar = new Option<string>("--sidecar") { Description = "The running sidecar, a loopback http(s) URL.", Required = true };
        var index = new Option<string>("--index") { Description = "The index (or alias) searched; its _meta.rerank.text_fields are the multi_match fields.", Required = true };
        var queries = new Option<FileInfo>("--queries") { Description = "BEIR queries.jsonl whose text fields are the queries (cycled).", Required = true };
        var upstream = new Option<string?>("--upstream") { Description = "The cluster searched for the first stage alone, a loopback URL (default: the sidecar's upstream from /_rerank/health)." };
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds per concurrency level, at most.", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var maxQueries = new Option<int?>("--max-queries") { Description = "Queries per concurrency level, at most (each sent three ways). Default: as many as --seconds allows." }.AtLeast(1);
        var concurrency = new Option<string>("--concurrency") { Description = "Concurrent clients, a comma-separated list of levels measured one after the other.", DefaultValueFactory = _ => "1,2" };
        var window = new Option<int>("--window") { Description = "ext.rerank.window of the reranked way.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var size = new Option<int>("--size") { Description = "The page size of every way.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var warmup = new Option<int>("--warmup") { Description = "Queries sent three ways before measuring, not counted.", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        json.OutputFile();
        foreach (var url in (Option<string?>[])[sidecar!, upstream])
        {
            url.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } value && !LoopbackUrl.TryParse(value, out _))
                {
                    r.AddError(LoopbackUrl.Refusal(url.Name, value));
                }
            });
        }

        queries.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo>() is { Exists: false } missing)
            {
                r.AddError($"--queries: the file '{missing.FullName}' does not exist.");
            }
        });
        concurrency.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>() ?? "";
            if (!TryParseLevels(value, out _))
            {
                r.AddError($"--concurrency: '{value}' is not a comma-separated list of distinct client counts of at least 1.");
            }
        });

        var command = new Command("search", "_search latency and throughput three ways in one run, interleaved: straight to the upstream (first stage alone), through the sidecar reranking a window, and through the sidecar with reranking disabled; loopback only.")
        {
            sidecar, index, queries, upstream, seconds, maxQueries, concurrency, window, size, warmup, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var texts = BeirReader.ReadQueries(parse.GetRequiredValue(queries).FullName).Select(q => q.Text).ToList();
            if (texts.Count == 0)
            {
                throw new InvalidDataException($"'{parse.GetRequiredValue(queries).FullName}' holds no queries.");
            }

            LoopbackUrl.TryParse(parse.GetRequiredValue(sidecar), out var sidecarUrl);
            TryParseLevels(parse.GetRequiredValue(concurrency), out var levels);
            var indexName = parse.GetRequiredValue(index);
            using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(100) };
            try
            {
                Uri upstreamUrl;
                if (parse.GetValue(upstream) is { } given)
                {
                    LoopbackUrl.TryParse(given, out upstreamUrl);
                }
                else
                {
                    upstreamUrl = await UpstreamOfAsync(http, sidecarUrl, cancellationToken);
                }

                var config = await ConfigOfAsync(http, upstreamUrl, indexName, cancellationToken);
                if (parse.GetValue(window) > config.MaxWindow)
                {
                    throw new SearchBenchException($"--window {parse.GetValue(window)} is over the index's max_window {config.MaxWindow}.");
                }

                var settings = new SearchBenchmark.Settings(
                    sidecarUrl, upstreamUrl, indexName, config.TextFields, texts, TimeSpan.FromSeconds(parse.GetValue(seconds)),
                    parse.GetValue(maxQueries), levels, parse.GetValue(window), parse.GetValue(size), parse.GetValue(warmup));
                var loadAverage = IngestBenchCommand.ReadLoadAverage();
                var result = await new SearchBenchmark(settings, http).RunAsync(cancellationToken);
                Write(output, settings, loadAverage, result);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, ToJson(settings, loadAverage, result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                    output.WriteLine($"figures written to {file.FullName}");
                }

                var errors = result.Sum(l => l.FirstStage.Errors + l.Rerank.Errors + l.Passthrough.Errors);
                if (errors > 0)
                {
                    UserErrors.Write(parse.InvocationConfiguration.Error, $"{errors} answers failed (see ERRORS above): the figures are not comparable");
                    return CommandLineHost.UserErrorExitCode;
                }

                return 0;
            }
            catch (SearchBenchException exception)
            {
                UserErrors.Write(parse.InvocationConfiguration.Error, exception.Message);
                return CommandLineHost.UserErrorExitCode;
            }
        });
        return command;
    }

    internal static bool TryParseLevels(string value, out IReadOnlyList<int> levels)
    {
        var list = new List<int>();
        levels = list;
        foreach (var part in value.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level < 1 || list.Contains(level))
            {
                return false;
            }

            list.Add(level);
        }

        return list.Count > 0;
    }

    /// <summary>The sidecar's upstream, as its <c>/_rerank/health</c> names it (ready or not); loopback only.</summary>
    private static async Task<Uri> UpstreamOfAsync(HttpClient http, Uri sidecar, CancellationToken cancellationToken)
    {
        JsonNode? health;
        try
        {
            health = JsonNode.Parse(await http.GetStringAsync(new Uri(sidecar, "/_rerank/health"), cancellationToken));
        }
        catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            throw new SearchBenchException($"the sidecar [{sidecar}] is not ready (GET /_rerank/health answered 503): see its health");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException)
        {
            throw new SearchBenchException($"cannot ask the sidecar [{sidecar}] for its upstream (GET /_rerank/health): {exception.Message}");
        }

        var url = (string?)health?["upstream"]?["url"];
        if (url is null)
        {
            throw new SearchBenchException($"the sidecar [{sidecar}] did not name its upstream (GET /_rerank/health has no upstream.url): give --upstream");
        }

        return LoopbackUrl.TryParse(url, out var upstream)
            ? upstream
            : throw new SearchBenchException(LoopbackUrl.Refusal("the sidecar's upstream", url));
    }

    /// <summary>The index's enabled <c>_meta.rerank</c>, read from <c>GET {upstream}/{index}/_mapping</c> (the first index of an alias that has one).</summary>
    private static async Task<RerankIndexConfig> ConfigOfAsync(HttpClient http, Uri upstream, string index, CancellationToken cancellationToken)
    {
        var url = new Uri(upstream.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(index) + "/_mapping");
        string text;
        HttpStatusCode status;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            status = response.StatusCode;
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            throw new SearchBenchException($"cannot reach the upstream [{upstream}]: {exception.Message}");
        }

        if (status != HttpStatusCode.OK)
        {
            throw new SearchBenchException($"the upstream answered {(int)status} to GET /{index}/_mapping: {text.ReplaceLineEndings(" ")}");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var concrete in document.RootElement.EnumerateObject())
            {
                if (concrete.Value.TryGetProperty("mappings", out var mappings)
                    && RerankIndexConfigReader.TryReadFromMappings(concrete.Name, mappings, out var config)
                    && config is { Enabled: true })
                {
                    return config;
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or RerankConfigException)
        {
            throw new SearchBenchException($"cannot read the _meta.rerank of [{index}]: {exception.Message}");
        }

        throw new SearchBenchException($"index [{index}] has no enabled _meta.rerank (its text_fields are the fields searched; set it up with `rerank ingest init`)");
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static void Write(TextWriter output, SearchBenchmark.Settings s, double[]? loadAverage, IReadOnlyList<SearchBenchmark.Level> levels)
    {
        static string Qps(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);
        static string Outcomes(IReadOnlyDictionary<string, int> outcomes) =>
            outcomes.Count == 0 ? "none sent" : string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"));

        var load = loadAverage is null ? "unknown" : string.Join(" ", loadAverage.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)));
        output.WriteLine($"bench search: index {s.Index} through {s.Sidecar.ToString().TrimEnd('/')} (upstream {s.Upstream.ToString().TrimEnd('/')}), {s.Queries.Count} queries, multi_match over [{string.Join(", ", s.TextFields)}], size {s.Size}, window {s.Window}");
        output.WriteLine($"at most {s.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s{(s.MaxQueries is { } max ? $" and {max} queries" : "")} per level, warm-up {s.Warmup} queries; load average before the run: {load} ({Environment.ProcessorCount} cores)");
        foreach (var level in levels)
        {
            output.WriteLine();
            output.WriteLine($"concurrency {level.Concurrency}: {level.FirstStage.Queries} queries sent each way in {level.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            output.WriteLine($"{"way",-34} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"q/s",8} {"errors",7}");
            foreach (var (label, way) in new[] { ("first stage (upstream, alone)", level.FirstStage), ($"rerank (sidecar, window {s.Window})", level.Rerank), ("passthrough (sidecar, disabled)", level.Passthrough) })
            {
                output.WriteLine($"{label,-34} {Ms(way.Stats.P50Ms),8} {Ms(way.Stats.Percentile(0.95)),8} {Ms(way.Stats.P99Ms),8} {Qps(way.Stats.PerSecond),8} {way.Errors,7}");
            }

            output.WriteLine($"rerank p50 - first-stage p50: {Ms(level.RerankAddedP50Ms)} ms; passthrough q/s / first-stage q/s: {(double.IsNaN(level.PassthroughThroughputRatio) ? "-" : level.PassthroughThroughputRatio.ToString("0.00", CultureInfo.InvariantCulture))}");
            output.WriteLine($"X-Rerank, rerank: {Outcomes(level.Rerank.Outcomes)}");
            output.WriteLine($"X-Rerank, passthrough: {Outcomes(level.Passthrough.Outcomes)}");
            if (level.RerankNotApplied > 0)
            {
                output.WriteLine($"NOT APPLIED: {level.RerankNotApplied} of {level.Rerank.Queries} rerank answers were not reranked (X-Rerank is not `applied`): the rerank figures are not reranking's cost");
            }

            foreach (var way in new[] { level.FirstStage, level.Rerank, level.Passthrough }.Where(w => w.Errors > 0))
            {
                output.WriteLine($"ERRORS: {way.Name}: {way.Errors} of {way.Queries} answers failed; the first: {way.FirstError}");
            }
        }
    }

    private static JsonObject ToJson(SearchBenchmark.Settings s, double[]? loadAverage, IReadOnlyList<SearchBenchmark.Level> levels)
    {
        static JsonNode? Number(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : JsonValue.Create(value);
        static JsonObject Way(SearchBenchmark.Way w) => new()
        {
            ["p50_ms"] = Number(w.Stats.P50Ms),
            ["p95_ms"] = Number(w.Stats.Percentile(0.95)),
            ["p99_ms"] = Number(w.Stats.P99Ms),
            ["qps"] = Number(w.Stats.PerSecond),
            ["queries"] = w.Queries,
            ["errors"] = w.Errors,
            ["first_error"] = w.FirstError,
        };
        static JsonObject Outcomes(SearchBenchmark.Way w) => new(w.Outcomes.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value)));
        static JsonObject Level(SearchBenchmark.Level l) => new()
        {
            ["concurrency"] = l.Concurrency,
            ["elapsed_s"] = l.Elapsed.TotalSeconds,
            ["first_stage"] = Way(l.FirstStage),
            ["rerank"] = Way(l.Rerank),
            ["passthrough"] = Way(l.Passthrough),
            ["rerank_p50_added_ms"] = Number(l.RerankAddedP50Ms),
            ["passthrough_qps_ratio"] = Number(l.PassthroughThroughputRatio),
            ["rerank_outcomes"] = Outcomes(l.Rerank),
            ["passthrough_outcomes"] = Outcomes(l.Passthrough),
            ["rerank_not_applied"] = l.RerankNotApplied,
        };

        // The first level's figures at the top (the issue's keys), every level under "levels".
        var result = Level(levels[0]);
        result.Remove("concurrency");
        result.Remove("elapsed_s");
        var top = new JsonObject
        {
            ["index"] = s.Index,
            ["sidecar"] = s.Sidecar.ToString().TrimEnd('/'),
            ["upstream"] = s.Upstream.ToString().TrimEnd('/'),
            ["text_fields"] = new JsonArray([.. s.TextFields.Select(f => JsonValue.Create(f))]),
            ["query_count"] = s.Queries.Count,
            ["size"] = s.Size,
            ["window"] = s.Window,
            ["seconds"] = s.Duration.TotalSeconds,
            ["max_queries"] = s.MaxQueries,
            ["warmup"] = s.Warmup,
            ["processors"] = Environment.ProcessorCount,
            ["load_average_before"] = loadAverage is null ? null : new JsonArray([.. loadAverage.Select(l => JsonValue.Create(l))]),
            ["concurrency"] = levels[0].Concurrency,
        };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            top[key] = value;
        }

        top["levels"] = new JsonArray([.. levels.Select(l => (JsonNode)Level(l))]);
        return top;
    }
}
