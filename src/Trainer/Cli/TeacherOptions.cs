using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Teacher;
using static TorchSharp.torch;

namespace Rerank.Trainer.Cli;

/// <summary>
/// How the teacher scores (prompts, cuts, dtype, batch, features): <c>teacher</c>'s options, which <c>run</c> takes with the
/// prefix <c>teacher-</c> where a name would clash with another stage's (<c>--teacher-batch-size</c>, <c>--teacher-query-chars</c>, ...).
/// </summary>
internal sealed class TeacherOptions
{
    public TeacherOptions(string prefix = "")
    {
        Language = new Option<string>("--prompt-language") { Description = "The shipped prompts: en (yes/no) or zh (是/不是, 能/不能).", DefaultValueFactory = _ => "en" };
        Language.AcceptOnlyFromAmong("en", "zh");
        PromptFile = new Option<FileInfo?>("--prompt-file") { Description = "Your prompts instead: JSON {\"symmetric\": {\"template\", \"yes\", \"no\"}, \"asymmetric\": {...}}, templates with {query} and {passage} (docs/training.md)." };
        QueryChars = new Option<int>($"--{prefix}query-chars") { Description = "Characters of an asymmetric query kept before tokenising the prompt.", DefaultValueFactory = _ => 50 }.AtLeast(1);
        PassageChars = new Option<int>($"--{prefix}passage-chars") { Description = "Characters of an asymmetric passage kept before tokenising the prompt.", DefaultValueFactory = _ => 320 }.AtLeast(1);
        SymmetricChars = new Option<int>($"--{prefix}symmetric-chars") { Description = "Characters of each symmetric text kept before tokenising the prompt.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        MaxTokens = new Option<int?>($"--{prefix}max-tokens") { Description = "Most tokens of a prompt; text tokens are cut, never the instruction or the answer cue (default min(512, max_position_embeddings))." }.AtLeast(1);
        Dtype = new Option<string>($"--{prefix}dtype") { Description = "The teacher's compute dtype: float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        Dtype.AcceptOnlyFromAmong("float32", "bfloat16");
        BatchSize = new Option<int>($"--{prefix}batch-size") { Description = "Prompts per teacher forward pass.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        Features = new Option<string>($"--{prefix}features") { Description = "How y^T (the final hidden state, for feature imitation) is stored: float16, float32 or none.", DefaultValueFactory = _ => "float16" };
        Features.AcceptOnlyFromAmong("float16", "float32", "none");
    }

    public Option<string> Language { get; }

    public Option<FileInfo?> PromptFile { get; }

    public Option<int> QueryChars { get; }

    public Option<int> PassageChars { get; }

    public Option<int> SymmetricChars { get; }

    public Option<int?> MaxTokens { get; }

    public Option<string> Dtype { get; }

    public Option<int> BatchSize { get; }

    public Option<string> Features { get; }

    public IEnumerable<Option> All => [Language, PromptFile, QueryChars, PassageChars, SymmetricChars, MaxTokens, Dtype, BatchSize, Features];

    /// <summary>The settings to score with the teacher checkpoint <paramref name="checkpoint"/> into <paramref name="teacherDirectory"/>.</summary>
    public TeacherRunSettings Read(ParseResult parse, string checkpoint, string teacherDirectory, TeacherShard? shard = null) => new()
    {
        Checkpoint = checkpoint,
        TeacherDirectory = teacherDirectory,
        Prompts = parse.GetValue(PromptFile) is { } file ? TeacherPrompts.Load(file.FullName) : TeacherPrompts.ForLanguage(parse.GetRequiredValue(Language)),
        Limits = new TeacherPromptLimits
        {
            QueryChars = parse.GetValue(QueryChars),
            PassageChars = parse.GetValue(PassageChars),
            SymmetricChars = parse.GetValue(SymmetricChars),
            MaxTokens = parse.GetValue(MaxTokens),
        },
        Dtype = parse.GetValue(Dtype) == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32,
        BatchSize = parse.GetValue(BatchSize),
        FeatureDtype = parse.GetValue(Features) is "none" ? null : parse.GetValue(Features),
        Shard = shard,
    };
}
