using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Model.Heads;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Cli;

/// <summary>
/// The options <c>rerank-train export</c> and <c>score</c> share to name a student (<see cref="StudentSource"/>):
/// <c>--checkpoint --lora --student --seed --pma-heads --iem-hidden</c>.
/// </summary>
internal sealed class StudentSourceOptions
{
    public Option<DirectoryInfo> Checkpoint { get; } = new("--checkpoint") { Description = "The backbone: a Hugging Face model directory (config.json, safetensors, tokenizer files).", Required = true };

    public Option<DirectoryInfo?> Lora { get; } = new("--lora") { Description = "A PEFT LoRA adapter directory (adapter_config.json, adapter_model.safetensors) to merge into the backbone." };

    public Option<DirectoryInfo?> Student { get; } = new("--student") { Description = "Trained heads: a directory with student_heads.safetensors and student_config.json (default: seeded random heads)." };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the random heads without --student (rerank model init's seed: the same seed gives the same heads).", DefaultValueFactory = _ => 1 };

    public Option<int?> PmaHeads { get; } = new Option<int?>("--pma-heads") { Description = "PMA heads of random heads (default: the backbone's attention heads)." }.AtLeast(1);

    public Option<int?> IemHidden { get; } = new Option<int?>("--iem-hidden") { Description = "IEM width of random heads, the size of u_p (default 512)." }.AtLeast(1);

    public IEnumerable<Option> All => [Checkpoint, Lora, Student, Seed, PmaHeads, IemHidden];

    /// <exception cref="ArgumentException">Random heads' sizes given with <c>--student</c>; the message names the options.</exception>
    public StudentSource Read(ParseResult parse)
    {
        if (parse.GetValue(Student) is not null && (parse.GetValue(PmaHeads) is not null || parse.GetValue(IemHidden) is not null))
        {
            throw new ArgumentException($"{PmaHeads.Name} and {IemHidden.Name} size random heads; with {Student.Name} the sizes come from {StudentDirectory.Config}.");
        }

        return new StudentSource
        {
            Checkpoint = parse.GetRequiredValue(Checkpoint).FullName,
            Lora = parse.GetValue(Lora)?.FullName,
            Student = parse.GetValue(Student)?.FullName,
            Seed = parse.GetValue(Seed),
            PmaHeads = parse.GetValue(PmaHeads),
            IemHidden = parse.GetValue(IemHidden),
        };
    }
}
