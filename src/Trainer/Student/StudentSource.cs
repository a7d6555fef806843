using Rerank.Model.Heads;

namespace Rerank.Trainer.Student;

/// <summary>
/// Where a student comes from, as <c>rerank-train export</c> and <c>score</c> take it: a backbone checkpoint, optionally
/// a LoRA adapter to merge, and the heads (a trained student directory, or a seeded random initialisation).
/// </summary>
internal sealed record StudentSource
{
    /// <summary>The Hugging Face model directory of the backbone (config.json, safetensors, tokenizer files).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>A PEFT LoRA adapter directory (adapter_config.json, adapter_model.safetensors) for that backbone, or null.</summary>
    public string? Lora { get; init; }

    /// <summary>A student directory (<see cref="StudentDirectory"/>) holding trained heads, or null for random heads.</summary>
    public string? Student { get; init; }

    /// <summary>
    /// The seed of random heads (<c>StudentHeadWeights.CreateRandom</c>, what <c>rerank model init</c> uses, so the same
    /// seed gives the same heads); ignored with <see cref="Student"/>. Default 1.
    /// </summary>
    public int Seed { get; init; } = 1;

    /// <summary>PMA heads of random heads; null (default) means the backbone's attention heads. Not allowed with <see cref="Student"/>.</summary>
    public int? PmaHeads { get; init; }

    /// <summary>IEM width of random heads; null (default) means 512. Not allowed with <see cref="Student"/>.</summary>
    public int? IemHidden { get; init; }

    /// <summary>
    /// The cosine term of random heads (<see cref="CosineTermChoice"/>); null (default) means none. Not allowed with
    /// <see cref="Student"/>, whose config says.
    /// </summary>
    public CosineTermChoice? CosineTerm { get; init; }
}
