using System.CommandLine;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Evaluation;

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
        json.OutputFile();
        run.OutputFile();
        var bm25 = new Bm25CommandOptions();

        var command = new Command("bm25", "Evaluate BM25 (Lucene.Net) on a BEIR collection: nDCG, MRR, recall, MAP and precision at 1, 3, 5, 10, 100 and --top-k.")
        {
            data, split, topK, json, run,
        };
        foreach (var option in bm25.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataDirectory = parse.GetRequiredValue(data).FullName;
            var settings = bm25.Settings(parse, dataDirectory, parse.GetRequiredValue(split), parse.GetValue(topK));

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
}
