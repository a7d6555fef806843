using System.CommandLine;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Runtime;
using Rerank.Trainer.Bench;
using Rerank.Trainer.Teacher;
using static TorchSharp.torch;

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
        var teacherBatch = new Option<int>("--teacher-batch") { Description = "Prompts per teacher forward pass (as teacher --batch-size).", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var language = new Option<string>("--prompt-language") { Description = "The teacher's shipped prompts: en (yes/no) or zh (能/不能); the asymmetric one is used.", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "zh");
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "Your prompts instead, as for rerank-train teacher (docs/training.md)." };
        var dtype = new Option<string>("--dtype") { Description = "The teacher's compute dtype: float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        dtype.AcceptOnlyFromAmong("float32", "bfloat16");
        var indexDir = new Option<DirectoryInfo?>("--index-dir") { Description = "Keep the BM25 index here and reuse it (default: a temporary folder, deleted)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." };
        teacher.NotAFile();
        model.NotAFile();
        data.NotAFile();
        indexDir.NotAFile();
        json.OutputFile();

        var command = new Command("runtime", "Time per query the teacher cross-encoding a BM25 window, the student (query encode + factorised scoring over precomputed projections) and a bi-encoder (query encode + cosine over precomputed embeddings); report p50, mean and their ratios.")
        {
            teacher, model, data, split, window, queries, teacherBatch, language, promptFile, dtype, indexDir, json,
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
                var prompts = parse.GetValue(promptFile) is { } file ? TeacherPrompts.Load(file.FullName) : TeacherPrompts.ForLanguage(parse.GetRequiredValue(language));
                var computeType = parse.GetValue(dtype) == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
                using var scorer = TeacherWindowScorer.Load(parse.GetRequiredValue(teacher).FullName, prompts, computeType, parse.GetValue(teacherBatch));
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
