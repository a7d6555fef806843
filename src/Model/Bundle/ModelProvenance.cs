namespace Rerank.Model.Bundle;

/// <summary>Where a bundle came from: enough to tell two models apart and to reproduce one.</summary>
public sealed record ModelProvenance
{
    /// <summary>The command or tool that wrote the bundle (<c>rerank model init</c>, <c>rerank-train export</c>).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The backbone checkpoint (a path or a Hugging Face name), or null for a random backbone.</summary>
    public string? Backbone { get; init; }

    /// <summary>The teacher the student was distilled from, or null when untrained.</summary>
    public string? Teacher { get; init; }

    /// <summary>The training data, or null.</summary>
    public string? TrainingData { get; init; }

    /// <summary>The loss terms and weights trained with, or null.</summary>
    public IReadOnlyDictionary<string, double>? Losses { get; init; }

    /// <summary>Held-out metrics measured on the exported model, or null.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>The seed of a random initialisation, or null.</summary>
    public int? Seed { get; init; }

    /// <summary>The licences of pretrained weights in the bundle (package and model), or null for our own weights.</summary>
    public string? License { get; init; }

    public string? Notes { get; init; }
}
