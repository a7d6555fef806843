using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Model.Heads;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Cli;

/// <summary>
/// The student training starts from, as <c>train</c> and <c>run</c> take it: <c>--student</c> (the backbone checkpoint),
/// optional starting <c>--heads</c> and <c>--lora</c>, or the seed and sizes of random heads.
/// </summary>
internal sealed class StudentStartOptions
{
    public Option<DirectoryInfo> Student { get; } = new("--student") { Description = "The student's backbone: a Hugging Face model directory (config.json, safetensors, tokenizer files).", Required = true };

    public Option<DirectoryInfo?> Heads { get; } = new("--heads") { Description = "Starting heads: a student directory (student_heads.safetensors, student_config.json); default: seeded random heads." };

    public Option<DirectoryInfo?> Lora { get; } = new("--lora") { Description = "Start from this LoRA adapter (trained further; merged and frozen with --frozen-backbone) instead of a new one." };

    public Option<int> HeadsSeed { get; } = new("--heads-seed") { Description = "Seed of random starting heads (default 1, as rerank model init).", DefaultValueFactory = _ => 1 };

    public Option<int?> PmaHeads { get; } = new Option<int?>("--pma-heads") { Description = "PMA heads of random heads (default: the backbone's attention heads)." }.AtLeast(1);

    public Option<int?> IemHidden { get; } = new Option<int?>("--iem-hidden") { Description = "IEM width of random heads (default 512)." }.AtLeast(1);

    public Option<string?> CosinePooling { get; } = CreateCosinePooling();

    public IEnumerable<Option> All => [Student, Heads, Lora, HeadsSeed, PmaHeads, IemHidden, CosinePooling];

    /// <exception cref="ArgumentException">Random heads' sizes or cosine term given with <c>--heads</c>; the message names the options.</exception>
    public StudentSource Read(ParseResult parse)
    {
        if (parse.GetValue(Heads) is not null && (parse.GetValue(PmaHeads) is not null || parse.GetValue(IemHidden) is not null))
        {
            throw new ArgumentException($"{PmaHeads.Name} and {IemHidden.Name} size random heads; with {Heads.Name} the sizes come from {StudentDirectory.Config}.");
        }

        var cosine = parse.GetValue(CosinePooling);
        if (parse.GetValue(Heads) is not null && cosine is not null)
        {
            throw new ArgumentException($"{CosinePooling.Name} sets the cosine term of random heads; with {Heads.Name} it comes from {StudentDirectory.Config} (cosine_pooling).");
        }

        return new StudentSource
        {
            Checkpoint = parse.GetRequiredValue(Student).FullName,
            Student = parse.GetValue(Heads)?.FullName,
            Lora = parse.GetValue(Lora)?.FullName,
            Seed = parse.GetValue(HeadsSeed),
            PmaHeads = parse.GetValue(PmaHeads),
            IemHidden = parse.GetValue(IemHidden),
            CosineTerm = parse.GetValue(Heads) is not null ? null : cosine switch
            {
                "none" => CosineTermChoice.None,
                "mean" => CosineTermChoice.Mean,
                "cls" => CosineTermChoice.Cls,
                _ => CosineTermChoice.Auto,
            },
        };
    }

    private static Option<string?> CreateCosinePooling()
    {
        var option = new Option<string?>("--cosine-pooling")
        {
            Description = "Random heads' cosine term (ours, beyond the paper): logit = a * cos + IEM over the backbone's mean- or cls-pooled, normalised states; none, mean, cls or auto (default: the checkpoint's sentence-transformers pooling for a BERT checkpoint with those files, else none).",
        };
        option.AcceptOnlyFromAmong("none", "mean", "cls", "auto");
        return option;
    }
}
