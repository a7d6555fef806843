namespace Rerank.Trainer.Data;

/// <summary>What <see cref="TrainingDataLoader"/> reads and how it splits it; the defaults are the command line's (docs/training.md, "Data").</summary>
internal sealed record TrainingDataSettings
{
    /// <summary>A BEIR folder, a sentence-pair file, or a folder of sentence-pair files (<c>&lt;split&gt;.jsonl</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The split trained on: <c>qrels/&lt;split&gt;.tsv</c> or <c>&lt;split&gt;.jsonl</c>. Default <c>train</c>.</summary>
    public string TrainSplit { get; init; } = "train";

    /// <summary>The held-out split; null: <c>dev</c> when the folder has it, else a slice of the training queries.</summary>
    public string? HeldOutSplit { get; init; }

    /// <summary>A sentence-pair file of held-out pairs (pair data only).</summary>
    public string? HeldOutFile { get; init; }

    /// <summary>The share of training queries held out when there is no held-out split or file; above 0, below 1. Default 0.1.</summary>
    public double HeldOutFraction { get; init; } = 0.1;

    /// <summary>At most this many queries in a held-out slice (evaluation cost). Default 1000.</summary>
    public int HeldOutMax { get; init; } = 1000;

    /// <summary>The seed of the held-out slice. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Pair data with scores: the lowest score that makes a positive. Default 4.0 (STS-B's 0-5 scale: "mostly equivalent").</summary>
    public double MinScore { get; init; } = 4.0;

    /// <summary>Pair data: labels or scores. Default <see cref="PairMode.Auto"/> (labels when there are any).</summary>
    public PairMode PairMode { get; init; } = PairMode.Auto;
}
