namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>The fusion teacher's knobs (docs/starter-model.md, "Teacher").</summary>
internal sealed record FusionSettings
{
    /// <summary>BM25 candidates per query, as the sidecar's default window.</summary>
    public int Window { get; init; } = 100;

    /// <summary>Training queries the calibration is fitted on (a seeded sample; all when fewer).</summary>
    public int FitQueries { get; init; } = 300;

    /// <summary>The ridge of the logistic fit.</summary>
    public double Ridge { get; init; } = LogisticFit.DefaultRidge;

    public void Validate()
    {
        if (Window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "--window must be at least 1.");
        }

        if (FitQueries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FitQueries), FitQueries, "--fit-queries must be at least 1.");
        }
    }
}
