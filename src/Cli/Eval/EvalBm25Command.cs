using System.CommandLine;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Scoring;
using Rerank.LuceneBaseline.Search;

namespace Rerank.Cli.Eval;

/// <summary><c>rerank eval bm25</c>: the BM25 baseline on a BEIR collection, as a metrics table, JSON and a TREC run.</summary>
internal static class EvalBm25Command
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split to evaluate.", DefaultValueFactory = _ => "test" };
        var topK = new Option<int>("--top-k") { Description = "Documents retrieved per query.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var json = new Option<FileInfo?>("--json") { Description = "Also write the metrics as JSON to this file." };
        var run = new Option<FileInfo?>("--run") { Description = "Also write the ranking in TREC run format to this file." };
        var indexDir = new Option<DirectoryInfo?>("--index-dir") { Description = "Index folder (default: a folder per collection under $RERANK_CACHE_DIR or ~/.cache/rerank)." };
        indexDir.NotAFile();
        json.OutputFile();
        run.OutputFile();
        var fields = new Option<string>("--fields") { Description = "Corpus fields to index, comma-separated, in join order.", DefaultValueFactory = _ => "title,text" };
        var separator = new Option<string>("--separator") { Description = "Text placed between joined field values.", DefaultValueFactory = _ => " " };
        var analyzer = new Option<AnalyzerKind>("--analyzer") { Description = "Text analysis: standard (Elasticsearch's standard analyzer) or cjk (bigrams, for Chinese).", DefaultValueFactory = _ => AnalyzerKind.Standard };
        var mode = new Option<Bm25SearchMode>("--mode") { Description = "flat: one BM25 over the joined fields; multifield: sum of per-field BM25.", DefaultValueFactory = _ => Bm25SearchMode.Flat };
        var k1 = new Option<float>("--k1") { Description = "BM25 k1.", DefaultValueFactory = _ => 1.2f };
        var b = new Option<float>("--b") { Description = "BM25 b.", DefaultValueFactory = _ => 0.75f };
        var scoring = new Option<Bm25Scoring>("--scoring") { Description = "BM25 arithmetic: lucene (Lucene.Net 4.8's) or elasticsearch (Elasticsearch 8/9's scores; its length norms, so the index is rebuilt).", DefaultValueFactory = _ => Bm25Scoring.Lucene };
        var threads = new Option<int>("--threads") { Description = "Queries searched at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);

        var command = new Command("bm25", "Evaluate BM25 (Lucene.Net) on a BEIR collection: nDCG, MRR, recall, MAP and precision at 1, 3, 5, 10, 100 and --top-k.")
        {
            data, split, topK, json, run, indexDir, fields, separator, analyzer, mode, k1, b, scoring, threads,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataDirectory = parse.GetRequiredValue(data).FullName;
            var settings = new Bm25EvaluationSettings
            {
                DataDirectory = dataDirectory,
                Split = parse.GetRequiredValue(split),
                TopK = parse.GetValue(topK),
                IndexDirectory = parse.GetValue(indexDir)?.FullName ?? CachePaths.Bm25Index(dataDirectory),
                Index = new Bm25IndexOptions
                {
                    Fields = ParseFields(parse.GetRequiredValue(fields)),
                    Separator = parse.GetValue(separator) ?? " ",
                    Analyzer = parse.GetValue(analyzer),
                    K1 = parse.GetValue(k1),
                    B = parse.GetValue(b),
                    Scoring = parse.GetValue(scoring),
                },
                Mode = parse.GetValue(mode),
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };

            var result = Bm25Evaluation.Run(settings, cancellationToken);
            Bm25EvaluationOutput.WriteTable(output, result);

            if (parse.GetValue(json) is { } jsonFile)
            {
                Bm25EvaluationOutput.WriteJson(jsonFile.FullName, result);
                output.WriteLine($"metrics written to {jsonFile.FullName}");
            }

            if (parse.GetValue(run) is { } runFile)
            {
                using var writer = new StreamWriter(runFile.FullName);
                TrecRunFile.Write(writer, result.Run, "rerank-bm25");
                output.WriteLine($"run written to {runFile.FullName}");
            }

            return Task.FromResult(0);
        });

        return command;
    }

    private static string[] ParseFields(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
