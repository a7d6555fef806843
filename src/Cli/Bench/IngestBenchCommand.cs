using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Bench;

/// <summary><c>rerank bench ingest</c>: <c>_bulk</c> docs/s through the sidecar against straight to the engine (<see cref="IngestBenchmark"/>).</summary>
internal static class IngestBenchCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder whose corpus is indexed.", Required = true };
        var model = new Option<DirectoryInfo?>("--model") { Description = "Model bundle the sidecar encodes with (default: a tiny bundle written as `rerank model init` does with its defaults)." };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds; each bulk-indexes the corpus straight to the engine, then through the sidecar.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Documents per _bulk request.", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var clients = new Option<int>("--clients") { Description = "Concurrent clients sending the bulks.", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var grid = new Option<string>("--grid") { Description = "MaxBatch x MaxDelay settings to compare, <batch sizes>x<delays in ms>, or none.", DefaultValueFactory = _ => IngestGrid.Default };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        json.OutputFile();
        model.NotAFile();
        data.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo>() is { Exists: false } missing)
            {
                r.AddError($"--data: the directory '{missing.FullName}' does not exist.");
            }
        });
        model.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } missing)
            {
                r.AddError($"--model: the directory '{missing.FullName}' does not exist.");
            }
        });
        grid.Validators.Add(r =>
        {
            if (!IngestGrid.TryParse(r.GetValueOrDefault<string>() ?? "", out _, out var problem))
            {
                r.AddError($"--grid: {problem}");
            }
        });

        var command = new Command("ingest", "_bulk docs/s through the sidecar (passage vectors added) against the same bulks straight to the embedded engine, and per MaxBatch x MaxDelay; fails unless every sidecar-indexed document is current.")
        {
            data, model, rounds, batch, clients, grid, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var folder = parse.GetRequiredValue(data).FullName.TrimEnd(Path.DirectorySeparatorChar);
            var corpusPath = Path.Combine(folder, "corpus.jsonl");
            if (!File.Exists(corpusPath))
            {
                throw new FileNotFoundException($"'{folder}' is not a BEIR folder: corpus.jsonl is missing.", corpusPath);
            }

            var name = Path.GetFileName(folder);
            var documents = BeirReader.ReadCorpus(corpusPath).ToList();
            IngestGrid.TryParse(parse.GetRequiredValue(grid), out var cells, out _);

            // The machine's load before anything runs: these figures only mean something next to it.
            var loadAverage = ReadLoadAverage();

            // The sidecars' warnings (timeouts, a model not loaded) on standard error, beside the figures they explain.
            using var logging = CliLogging.Create();
            var work = Path.Combine(Path.GetTempPath(), "rerank-bench-ingest", Guid.NewGuid().ToString("N"));
            try
            {
                var bundle = parse.GetValue(model)?.FullName;
                if (bundle is null)
                {
                    bundle = Path.Combine(work, "model");
                    RandomBundle.Write(bundle, new RandomBundleSettings());
                }

                var benchmark = new IngestBenchmark(documents, bundle, parse.GetValue(rounds), parse.GetValue(batch), parse.GetValue(clients), cells, logging);
                var result = await benchmark.RunAsync(work, cancellationToken);
                Write(output, name, loadAverage, result);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, ToJson(name, loadAverage, result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                    output.WriteLine($"figures written to {file.FullName}");
                }

                if (!result.AllCurrent)
                {
                    UserErrors.Write(parse.InvocationConfiguration.Error, "not every document indexed through the sidecar is current (or a pass lost documents): see the status of each pass above");
                    return CommandLineHost.UserErrorExitCode;
                }

                return 0;
            }
            finally
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg; null where there is none (not Linux).</summary>
    internal static double[]? ReadLoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return [.. fields.Take(3).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static string Ms(TimeSpan delay) => delay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Write(TextWriter output, string name, double[]? loadAverage, IngestBenchmark.Result r)
    {
        static string F(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        static string Status(IngestBenchmark.Pair p)
        {
            var s = p.SidecarStatus;
            var reasons = p.StaleReasons.Count == 0 ? "" : $" ({string.Join(", ", p.StaleReasons.Select(r => $"{r.Key} {r.Value}"))})";
            return $"{s.Current}/{s.Documents} current, {s.Stale} stale{reasons}, {s.Missing} missing, {s.OtherModel} other model";
        }

        var load = loadAverage is null ? "unknown" : string.Join(" ", loadAverage.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)));
        output.WriteLine($"{name}: {r.Documents:N0} documents, bulks of {r.Batch} from {r.Clients} clients, model {r.ModelId}");
        output.WriteLine($"load average before the run: {load} ({Environment.ProcessorCount} cores)");
        output.WriteLine();
        output.WriteLine($"{"indexing (mean of rounds)",-60} {"docs/s",10} {"ratio",7}");
        output.WriteLine($"{"engine _bulk, direct (baseline)",-60} {F(r.DirectDocsPerSecond),10} {Ratio(1),7}");
        var defaults = r.Rounds[0];
        output.WriteLine($"{$"through the sidecar, vectors (MaxBatch {defaults.MaxBatch}, MaxDelay {Ms(defaults.MaxDelay)} ms)",-60} {F(r.SidecarDocsPerSecond),10} {Ratio(r.Ratio),7}");
        for (var i = 0; i < r.Rounds.Count; i++)
        {
            var round = r.Rounds[i];
            output.WriteLine($"  round {i + 1}: direct {F(round.DirectDocsPerSecond)} docs/s ({round.DirectDocuments} documents), sidecar {F(round.SidecarDocsPerSecond)} docs/s, ratio {Ratio(round.Ratio)}; sidecar index {Status(round)}");
        }

        if (r.Grid.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("sidecar/direct ratio per MaxBatch x MaxDelay (each against a direct pass just before it):");
            var delays = r.Grid.Select(p => p.MaxDelay).Distinct().ToList();
            output.WriteLine($"{"MaxBatch \\ MaxDelay",-20}" + string.Concat(delays.Select(d => $"{Ms(d) + " ms",10}")));
            foreach (var row in r.Grid.GroupBy(p => p.MaxBatch))
            {
                output.WriteLine($"{row.Key,-20}" + string.Concat(delays.Select(d => $"{row.Where(p => p.MaxDelay == d).Select(p => Ratio(p.Ratio)).FirstOrDefault() ?? "",10}")));
            }

            var best = r.Best!;
            output.WriteLine($"best: MaxBatch {best.MaxBatch}, MaxDelay {Ms(best.MaxDelay)} ms: {F(best.SidecarDocsPerSecond)} docs/s through the sidecar, ratio {Ratio(best.Ratio)}");
            foreach (var cell in r.Grid.Where(p => p.SidecarStatus.Current != r.Documents))
            {
                output.WriteLine($"  MaxBatch {cell.MaxBatch}, MaxDelay {Ms(cell.MaxDelay)} ms: sidecar index {Status(cell)}");
            }
        }

        output.WriteLine();
        output.WriteLine($"stale documents over every sidecar pass: {r.StaleDocuments}; every sidecar-indexed document current: {(r.AllCurrent ? "yes" : "NO")}");
    }

    private static JsonObject ToJson(string name, double[]? loadAverage, IngestBenchmark.Result r)
    {
        static JsonObject Pair(IngestBenchmark.Pair p) => new()
        {
            ["max_batch"] = p.MaxBatch,
            ["max_delay_ms"] = p.MaxDelay.TotalMilliseconds,
            ["direct_docs_per_second"] = p.DirectDocsPerSecond,
            ["direct_documents"] = p.DirectDocuments,
            ["sidecar_docs_per_second"] = p.SidecarDocsPerSecond,
            ["sidecar_to_direct"] = p.Ratio,
            ["sidecar_status"] = JsonSerializer.SerializeToNode(p.SidecarStatus),
            ["sidecar_stale_reasons"] = new JsonObject(p.StaleReasons.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
        };

        var best = r.Best;
        return new JsonObject
        {
            ["dataset"] = name,
            ["documents"] = r.Documents,
            ["model_id"] = r.ModelId,
            ["batch"] = r.Batch,
            ["clients"] = r.Clients,
            ["processors"] = Environment.ProcessorCount,
            ["load_average_before"] = loadAverage is null ? null : new JsonArray([.. loadAverage.Select(l => JsonValue.Create(l))]),
            ["direct_docs_per_second"] = r.DirectDocsPerSecond,
            ["sidecar_docs_per_second"] = r.SidecarDocsPerSecond,
            ["sidecar_to_direct"] = r.Ratio,
            ["stale_documents"] = r.StaleDocuments,
            ["all_current"] = r.AllCurrent,
            ["rounds"] = new JsonArray([.. r.Rounds.Select(p => (JsonNode)Pair(p))]),
            ["grid"] = new JsonArray([.. r.Grid.Select(p => (JsonNode)Pair(p))]),
            ["best"] = best is null ? null : new JsonObject
            {
                ["max_batch"] = best.MaxBatch,
                ["max_delay_ms"] = best.MaxDelay.TotalMilliseconds,
                ["sidecar_docs_per_second"] = best.SidecarDocsPerSecond,
                ["sidecar_to_direct"] = best.Ratio,
            },
        };
    }
}
