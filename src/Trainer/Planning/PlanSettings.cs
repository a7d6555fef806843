namespace Rerank.Trainer.Planning;

/// <summary>How <c>rerank-train plan</c> builds batches (docs/training.md, "Plan"); the defaults are D2LLM's.</summary>
internal sealed record PlanSettings
{
    /// <summary>Queries per batch (bs). Default 32 (D2LLM.md, section 4); at least 2 (in-batch negatives need another query).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Hard negatives per query (K). Default 8; at least 1.</summary>
    public int HardNegatives { get; init; } = 8;

    /// <summary>The seed of the negative samples and of every grouping's order. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Independent groupings (passes over every training (query, positive)) planned. Default 1; the teacher scores every grouping's cross pairs.</summary>
    public int Groupings { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming every option out of range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (BatchSize < 2)
        {
            errors.Add($"--batch-size must be at least 2 (a query's in-batch negatives are the other queries' positives), got {BatchSize}");
        }

        if (HardNegatives < 1)
        {
            errors.Add($"--negatives must be at least 1, got {HardNegatives}");
        }

        if (Groupings < 1)
        {
            errors.Add($"--groupings must be at least 1, got {Groupings}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors) + ".");
        }
    }
}
