namespace Rerank.Trainer.Pipeline;

/// <summary>
/// Where each stage of <c>rerank-train</c> reads and writes inside a run directory (<c>--out</c> of <c>run</c>; each stage's
/// own <c>--out</c>/<c>--plan</c>/... defaults to these names), so <c>run</c> can resume at the first stage whose output is
/// missing. docs/training.md, "Run directory".
/// </summary>
internal sealed class RunLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary><c>mine</c>'s output: one line per query with its mined negatives.</summary>
    public string Negatives => Path.Combine(Root, "negatives.jsonl");

    /// <summary><c>plan</c>'s output.</summary>
    public string Plan => Path.Combine(Root, "plan.json");

    /// <summary><c>teacher</c>'s shards and the merged store.</summary>
    public string TeacherDirectory => Path.Combine(Root, "teacher");

    /// <summary><c>teacher fuse</c>'s scores of the plan's pairs, in <c>teacher import</c>'s JSONL format.</summary>
    public string FusionScores => Path.Combine(Root, "teacher-fusion.jsonl");

    /// <summary><c>teacher fuse</c>'s report: every feature subset's held-out nDCG@10 and the chosen calibration.</summary>
    public string FusionReport => Path.Combine(Root, "teacher-fusion.json");

    /// <summary><c>train</c>'s working directory: checkpoints, the cached frozen backbone states, the log.</summary>
    public string TrainDirectory => Path.Combine(Root, "train");

    /// <summary>The best student by the held-out metric: heads (<c>StudentDirectory</c>) and, with LoRA, the adapter in <c>lora/</c>.</summary>
    public string BestStudent => Path.Combine(TrainDirectory, "best");

    /// <summary><c>export</c>'s bundle.</summary>
    public string Bundle => Path.Combine(Root, "bundle");

    /// <summary><c>run</c>'s summary: data, stages, losses, held-out metrics before and after.</summary>
    public string Report => Path.Combine(Root, "report.json");
}
