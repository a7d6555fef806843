using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Bench;

/// <summary><c>rerank bench model</c>: query and passage encoding of a bundle against its packaged encoder's export (<see cref="ModelBenchmark"/>).</summary>
internal static class ModelBenchCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "A bundle built on a packaged encoder (rerank model starter).", Required = true };
        var encoderName = new Option<string>("--encoder") { Description = $"The packaged encoder it was built on: {PretrainedEncoders.Names}.", DefaultValueFactory = _ => StarterModel.Encoder.Name };
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder whose queries and passages are encoded.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose queries are encoded.", DefaultValueFactory = _ => "test" };
        var queries = new Option<int>("--queries") { Description = "Queries encoded one at a time per round.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var passages = new Option<int>("--passages") { Description = "Passages (the corpus's first) encoded per round.", DefaultValueFactory = _ => 320 }.AtLeast(1);
        var window = new Option<int>("--window") { Description = "Stored candidates scored per query.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds, each running the student and the export in turn (after one warm-up round).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime's threads per operator for both sides (default 0: ONNX Runtime's choice).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        json.OutputFile();
        var command = new Command("model", "Query latency and passage throughput of a bundle against its packaged encoder's own ONNX export, as ratios.")
        {
            model, encoderName, data, split, queries, passages, window, rounds, threads, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var encoder = PretrainedEncoders.Find(parse.GetRequiredValue(encoderName))
                ?? throw new ArgumentException($"bench model: unknown --encoder (known: {PretrainedEncoders.Names}).");
            var dataset = BeirDataset.Open(parse.GetRequiredValue(data).FullName, parse.GetRequiredValue(split));
            var queryTexts = dataset.Queries.Take(parse.GetValue(queries)).Select(q => q.Text).ToList();
            var passageTexts = BeirReader.ReadCorpus(dataset.CorpusPath).Take(parse.GetValue(passages)).Select(BeirBulkBody.Contents).ToList();
            var options = new StudentModelOptions { IntraOpThreads = parse.GetValue(threads) };
            using var student = StudentModel.Load(parse.GetRequiredValue(model).FullName, options);
            using var bench = new ModelBenchmark(student, encoder, options);

            var windowSize = parse.GetValue(window);
            var roundCount = parse.GetValue(rounds);
            var studentEncode = new List<double>();
            var rawEncode = new List<double>();
            var studentQuery = new List<double>();
            var cosineQuery = new List<double>();
            var studentRates = new List<double>();
            var rawRates = new List<double>();
            for (var round = 0; round <= roundCount; round++)
            {
                var (se, re, sq, cq) = bench.Queries(queryTexts, windowSize, cancellationToken);
                var studentSeconds = bench.StudentPassages(passageTexts, cancellationToken);
                var rawSeconds = bench.RawPassages(passageTexts);
                if (round == 0)
                {
                    continue;
                }

                studentEncode.AddRange(se);
                rawEncode.AddRange(re);
                studentQuery.AddRange(sq);
                cosineQuery.AddRange(cq);
                studentRates.Add(passageTexts.Count / studentSeconds);
                rawRates.Add(passageTexts.Count / rawSeconds);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: passages {studentRates[^1]:F1}/s student, {rawRates[^1]:F1}/s export"));
            }

            static double P50(List<double> values) => new LatencyStats(values.Count, TimeSpan.Zero, values).P50Ms;
            static double P99(List<double> values) => new LatencyStats(values.Count, TimeSpan.Zero, values).P99Ms;
            var studentRate = studentRates.Sum() / studentRates.Count;
            var rawRate = rawRates.Sum() / rawRates.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {student.ModelId} against {encoder.PackageId} {encoder.PackageVersion}'s model.onnx; {queryTexts.Count} queries x {roundCount} rounds, {passageTexts.Count} passages x {roundCount} rounds, provider {student.Provider}, threads {(options.IntraOpThreads == 0 ? "default" : options.IntraOpThreads.ToString(CultureInfo.InvariantCulture))}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"query encode            p50 {P50(studentEncode),7:F2} ms  p99 {P99(studentEncode),7:F2} ms   export p50 {P50(rawEncode):F2} ms  ratio {P50(studentEncode) / P50(rawEncode):F2}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"query + score {windowSize,3}       p50 {P50(studentQuery),7:F2} ms  p99 {P99(studentQuery),7:F2} ms   cosine p50 {P50(cosineQuery):F2} ms  ratio {P50(studentQuery) / P50(cosineQuery):F2}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"passage encode          {studentRate,7:F1} passages/s (embedding and projection)   export {rawRate:F1}/s  ratio {studentRate / rawRate:F2}"));
            if (parse.GetValue(json) is { } file)
            {
                var root = new JsonObject
                {
                    ["model"] = student.ModelId,
                    ["export"] = $"{encoder.PackageId} {encoder.PackageVersion}",
                    ["queries"] = queryTexts.Count,
                    ["passages"] = passageTexts.Count,
                    ["rounds"] = roundCount,
                    ["window"] = windowSize,
                    ["threads"] = options.IntraOpThreads,
                    ["query_encode_p50_ms"] = P50(studentEncode),
                    ["query_encode_p99_ms"] = P99(studentEncode),
                    ["export_query_encode_p50_ms"] = P50(rawEncode),
                    ["query_cost_p50_ms"] = P50(studentQuery),
                    ["cosine_query_cost_p50_ms"] = P50(cosineQuery),
                    ["query_cost_ratio"] = P50(studentQuery) / P50(cosineQuery),
                    ["passages_per_second"] = studentRate,
                    ["export_passages_per_second"] = rawRate,
                    ["passage_rate_ratio"] = studentRate / rawRate,
                };
                File.WriteAllText(file.FullName, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
