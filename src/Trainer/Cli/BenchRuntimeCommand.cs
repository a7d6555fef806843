using System.CommandLine;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Runtime;
using Rerank.Trainer.Bench;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train bench runtime</c>: per query, the teacher cross-encoding a BM25 window against the student and a
/// plain bi-encoder over the same candidates (the paper's Figure 2; docs/training.md, "Runtime").
/// </summary>
internal static class BenchRuntimeCommand
{
    /// <summary>The <c>bench</c> group with its <c>runtime</c> command.</summary>
    public static Command CreateGroup()
    {
        var bench = new Command("bench", "Benchmarks of the distillation pipeline's models.");
        bench.Subcommands.Add(Create());
        return bench;
    }

    public static Command Create()
    {
        var teacher = new Option<DirectoryInfo>("--teacher") { Description = "The teacher checkpoint (a Hugging Face model directory).", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "The student bundle directory (also the bi-encoder: its pooled embeddings, cosine).", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose queries are timed.", DefaultValueFactory = _ => "test" };
        var window = new Option<int>("--window") { Description = "BM25 candidates per query (the window every system scores).", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var queries = new Option<int>("--queries") { Description = "Queries timed: the split's first ones (those with a BM25 hit).", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var teacherBatch = new Option<int>("--teacher-batch") { Description = "Prompts per teacher forward pass.", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var indexDir = new Option<DirectoryInfo?>("--index-dir") { Description = "Keep the BM25 index here and reuse it (default: a temporary folder, deleted)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." };
        teacher.NotAFile();
        model.NotAFile();
        data.NotAFile();
        indexDir.NotAFile();
        json.OutputFile();

        var command = new Command("runtime", "Time per query the teacher cross-encoding a BM25 window, the student (query encode + factorised scoring over precomputed projections) and a bi-encoder (query encode + cosine over precomputed embeddings); report p50, mean and their ratios.")
        {
            teacher, model, data, split, window, queries, teacherBatch, indexDir, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataset = BeirDataset.Open(parse.GetRequiredValue(data).FullName, parse.GetRequiredValue(split));
            var keptIndex = parse.GetValue(indexDir)?.FullName;
            var index = keptIndex ?? Path.Combine(Path.GetTempPath(), "rerank-bench-bm25-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var student = StudentModel.Load(parse.GetRequiredValue(model).FullName, new StudentModelOptions { PreferGpu = true });
                using var scorer = DecoderWindowScorer.Load(parse.GetRequiredValue(teacher).FullName, parse.GetValue(teacherBatch));
                var report = RuntimeBench.Run(dataset, index, scorer, student, parse.GetValue(window), parse.GetValue(queries), output, cancellationToken);
                output.WriteLine();
                RuntimeReportOutput.WriteTable(output, report);
                if (parse.GetValue(json) is { } jsonFile)
                {
                    RuntimeReportOutput.WriteJson(jsonFile.FullName, report);
                    output.WriteLine($"report written to {jsonFile.FullName}");
                }
            }
            finally
            {
                if (keptIndex is null && Directory.Exists(index))
                {
                    Directory.Delete(index, recursive: true);
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
