using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Teacher;
using static TorchSharp.torch;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train teacher</c>: scores the plan's pairs with an LLM teacher into the run directory's <c>teacher/</c>
/// store (all of them, or one <c>--shard i/n</c>); with the subcommands <c>import</c> and <c>merge</c>.
/// </summary>
internal static class TeacherCommand
{
    public static Command Create(ITeacherInputs inputs)
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads plan.json, writes teacher/.", Required = true };
        outDir.NotAFile();
        var teacher = new Option<DirectoryInfo>("--teacher") { Description = "The teacher: a Hugging Face LLaMA or Qwen2 checkpoint directory with its tokenizer.", Required = true };
        var plan = PlanOption();
        var shard = new Option<string?>("--shard") { Description = "Score only slice i of n of the plan's pairs (0-based, contiguous) into teacher/shard-i-of-n; join the shards with teacher merge. Default: every pair into teacher/scores." };
        var language = new Option<string>("--prompt-language") { Description = "The shipped prompts: en (yes/no) or zh (是/不是, 能/不能).", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "zh");
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "Your prompts instead: JSON {\"symmetric\": {\"template\", \"yes\", \"no\"}, \"asymmetric\": {...}}, templates with {query} and {passage} (docs/training.md)." };
        var queryChars = new Option<int>("--query-chars") { Description = "Characters of an asymmetric query kept before tokenising.", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var passageChars = new Option<int>("--passage-chars") { Description = "Characters of an asymmetric passage kept before tokenising.", DefaultValueFactory = _ => 320 }.AtLeast(1);
        var symmetricChars = new Option<int>("--symmetric-chars") { Description = "Characters of each symmetric text kept before tokenising.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens of a prompt; text tokens are cut, never the instruction or the answer cue (default min(512, max_position_embeddings))." }.AtLeast(1);
        var dtype = new Option<string>("--dtype") { Description = "The teacher's compute dtype: float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        dtype.AcceptOnlyFromAmong("float32", "bfloat16");
        var batchSize = new Option<int>("--batch-size") { Description = "Prompts per forward pass.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var features = new Option<string>("--features") { Description = "How y^T (the final hidden state, for feature imitation) is stored: float16, float32 or none.", DefaultValueFactory = _ => "float16" };
        features.AcceptOnlyFromAmong("float16", "float32", "none");
        var command = new Command("teacher", "Score the plan's (query, passage) pairs with an LLM teacher: yes/no logit and final hidden state per pair, stored by key in <out>/teacher (resumable).");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, teacher, plan, shard, language, promptFile, queryChars, passageChars, symmetricChars, maxTokens, dtype, batchSize, features])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var settings = new TeacherRunSettings
            {
                Checkpoint = parse.GetRequiredValue(teacher).FullName,
                TeacherDirectory = layout.TeacherDirectory,
                Prompts = parse.GetValue(promptFile) is { } file ? TeacherPrompts.Load(file.FullName) : TeacherPrompts.ForLanguage(parse.GetRequiredValue(language)),
                Limits = new TeacherPromptLimits
                {
                    QueryChars = parse.GetValue(queryChars),
                    PassageChars = parse.GetValue(passageChars),
                    SymmetricChars = parse.GetValue(symmetricChars),
                    MaxTokens = parse.GetValue(maxTokens),
                },
                Dtype = parse.GetValue(dtype) == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32,
                BatchSize = parse.GetValue(batchSize),
                FeatureDtype = parse.GetValue(features) is "none" ? null : parse.GetValue(features),
                Shard = parse.GetValue(shard) is { } s ? TeacherShard.Parse(s) : null,
            };
            var corpus = inputs.ReadCorpus(data, parse, output);
            var trainingPlan = inputs.ReadPlan(PlanPath(parse, plan, layout), corpus);
            var (path, count, resumed) = TeacherRun.Run(corpus, trainingPlan, settings, output, error, IsTerminal(error));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher: {count:N0} pairs in {path}{(resumed > 0 ? $" ({resumed:N0} from an earlier run)" : "")}"));
            if (settings.Shard is not null)
            {
                output.WriteLine($"teacher: when every shard is done, run rerank-train teacher merge --data {parse.GetRequiredValue(data.Data)} --out {layout.Root}");
            }

            return Task.FromResult(0);
        });
        command.Subcommands.Add(TeacherImportCommand.Create(inputs));
        command.Subcommands.Add(TeacherMergeCommand.Create(inputs));
        return command;
    }

    /// <summary><c>--plan</c>: the plan file, default the run directory's <c>plan.json</c>.</summary>
    internal static Option<FileInfo?> PlanOption() => new("--plan") { Description = "The plan file (default: <out>/plan.json)." };

    internal static string PlanPath(ParseResult parse, Option<FileInfo?> plan, RunLayout layout) => parse.GetValue(plan)?.FullName ?? layout.Plan;

    /// <summary>Whether progress may rewrite one line: stderr is the console and a terminal.</summary>
    internal static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
}
