using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;

namespace Rerank.Cli.Bench;

/// <summary><c>rerank bench</c>: end-to-end benchmarks that BenchmarkDotNet cannot express (servers, latency percentiles).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "End-to-end benchmarks, reported as ratios against a baseline measured in the same run.");
        bench.Subcommands.Add(CreateEngine());
        bench.Subcommands.Add(IngestBenchCommand.Create());
        bench.Subcommands.Add(SearchBenchCommand.Create());
        bench.Subcommands.Add(ModelBenchCommand.Create());
        return bench;
    }

    private static Command CreateEngine()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder whose corpus and queries are used.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose queries are searched.", DefaultValueFactory = _ => "test" };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds; each searches every query four ways (baseline and engine, one and --threads searchers).", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var threads = new Option<int>("--threads") { Description = "Concurrent searchers for the parallel passes.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Documents per _bulk request.", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        json.OutputFile();
        var command = new Command("engine", "The embedded engine over HTTP against in-process Lucene BM25: bulk docs/s, search queries/s, p50/p99.")
        {
            data, split, rounds, threads, batch, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataset = BeirDataset.Open(parse.GetRequiredValue(data).FullName, parse.GetRequiredValue(split));

            var work = Path.Combine(Path.GetTempPath(), "rerank-bench-engine", Guid.NewGuid().ToString("N"));
            try
            {
                var benchmark = new EngineBenchmark(dataset, parse.GetValue(rounds), parse.GetValue(threads), parse.GetValue(batch));
                var result = await benchmark.RunAsync(work, cancellationToken);
                Write(output, dataset.Name, result);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, ToJson(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                    output.WriteLine($"figures written to {file.FullName}");
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

    private static void Write(TextWriter output, string name, EngineBenchmark.Result r)
    {
        static string F(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
        static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        output.WriteLine($"{name}: {r.Documents:N0} documents, {r.Queries} queries, top 100, ids and scores only");
        output.WriteLine();
        output.WriteLine($"{"indexing",-44} {"docs/s",10} {"ratio",7}");
        output.WriteLine($"{"in-process Bm25Index build (baseline)",-44} {F(r.BaselineIndexDocsPerSecond),10} {Ratio(1),7}");
        output.WriteLine($"{"engine _bulk + _forcemerge over HTTP",-44} {F(r.EngineBulkDocsPerSecond),10} {Ratio(r.EngineBulkDocsPerSecond / r.BaselineIndexDocsPerSecond),7}");
        output.WriteLine();
        output.WriteLine($"{"search",-44} {"q/s",10} {"ratio",7} {"p50 ms",8} {"p99 ms",8}");
        Row("in-process, 1 thread (baseline)", r.BaselineOneThread, r.BaselineOneThread);
        Row("engine over HTTP, 1 client", r.EngineOneClient, r.BaselineOneThread);
        Row($"in-process, {r.Threads} threads (baseline)", r.BaselineThreads, r.BaselineThreads);
        Row($"engine over HTTP, {r.Threads} clients", r.EngineThreads, r.BaselineThreads);

        void Row(string label, LatencyStats stats, LatencyStats baseline) =>
            output.WriteLine($"{label,-44} {F(stats.PerSecond),10} {Ratio(stats.PerSecond / baseline.PerSecond),7} {Ms(stats.P50Ms),8} {Ms(stats.P99Ms),8}");
    }

    private static JsonObject ToJson(EngineBenchmark.Result r)
    {
        static JsonObject Series(LatencyStats s) => new() { ["queries_per_second"] = s.PerSecond, ["p50_ms"] = s.P50Ms, ["p99_ms"] = s.P99Ms, ["queries"] = s.Operations };
        return new JsonObject
        {
            ["documents"] = r.Documents,
            ["queries"] = r.Queries,
            ["threads"] = r.Threads,
            ["baseline_index_docs_per_second"] = r.BaselineIndexDocsPerSecond,
            ["engine_bulk_docs_per_second"] = r.EngineBulkDocsPerSecond,
            ["baseline_search_1_thread"] = Series(r.BaselineOneThread),
            ["engine_search_1_client"] = Series(r.EngineOneClient),
            ["baseline_search_threads"] = Series(r.BaselineThreads),
            ["engine_search_threads"] = Series(r.EngineThreads),
            ["engine_to_baseline_throughput_1"] = r.EngineOneClient.PerSecond / r.BaselineOneThread.PerSecond,
            ["engine_to_baseline_throughput_threads"] = r.EngineThreads.PerSecond / r.BaselineThreads.PerSecond,
        };
    }
}
