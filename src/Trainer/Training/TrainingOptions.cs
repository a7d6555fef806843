using System.Globalization;
using Rerank.Trainer.Losses;
using Rerank.Trainer.Lora;

namespace Rerank.Trainer.Training;

/// <summary>
/// Everything <see cref="DistillationTrainer"/> is told (docs/training.md, "Training"). Defaults are the official code's
/// (D2LLM.md section 4) where it has one: AdamW lr 1e-4, betas (0.8, 0.999), eps 1e-6, weight decay 0.01 on every
/// trainable weight but biases, a log-shaped warm-up over 1,000 steps then constant, clipping at 1.0, 5 epochs, LoRA
/// r 8 / alpha 8 / dropout 0.05 on every linear layer of every block.
/// </summary>
internal sealed record TrainingOptions
{
    /// <summary>The loss terms, their weights and variants.</summary>
    public DistillationLossOptions Loss { get; init; } = new();

    public StudentPooling Pooling { get; init; } = StudentPooling.Pma;

    public StudentInteraction Interaction { get; init; } = StudentInteraction.Iem;

    /// <summary>Under <see cref="StudentInteraction.Cosine"/>, z = cos / this (default 0.05; temperature 1 leaves logits in [-1, 1]).</summary>
    public double CosineTemperature { get; init; } = 0.05;

    /// <summary>
    /// No LoRA: the backbone is frozen and its final hidden states for every text the plan uses are computed once and
    /// cached (memory and <c>train/frozen-states/</c>); only the heads train.
    /// </summary>
    public bool FrozenBackbone { get; init; }

    /// <summary>The adapter trained on the backbone unless <see cref="FrozenBackbone"/>.</summary>
    public LoraOptions Lora { get; init; } = new();

    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Warm-up steps W of the log-shaped schedule (<see cref="WarmupSchedule"/>); 0 for none.</summary>
    public int WarmupSteps { get; init; } = 1000;

    public double Beta1 { get; init; } = 0.8;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Decoupled weight decay on every trainable parameter but biases (norm weights and the PMA seed included, as in the code).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>The global L2 norm over every trainable gradient is clipped to this; 0 for no clipping.</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Epochs: one epoch is one grouping of the plan (<c>BatchesPerGrouping</c> steps).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Train this many optimizer steps in all (counting steps before a resume), cycling through the plan; overrides <see cref="Epochs"/>. Null: <see cref="Epochs"/> decide.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Evaluate on the held-out queries every this many steps (and at step 0 and at the end).</summary>
    public int EvalEvery { get; init; } = 200;

    /// <summary>Stop when this many evaluations in a row did not improve the metric; 0 never stops early.</summary>
    public int Patience { get; init; } = 5;

    public EarlyStoppingMetric Metric { get; init; } = EarlyStoppingMetric.PooledSpearman;

    /// <summary>Write a resumable checkpoint every this many steps (and at the end, and on cancellation).</summary>
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>A console line every this many steps.</summary>
    public int LogEvery { get; init; } = 20;

    /// <summary>Seeds LoRA's initialisation and every step's dropout (step s uses a generator seeded from (seed, s)).</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>Texts per backbone call (encoding and caching).</summary>
    public int TextBatch { get; init; } = 32;

    /// <summary>The torch device to train on (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>); null means the CPU.</summary>
    public string? Device { get; init; }

    /// <summary>Resume from <c>train/checkpoint</c> when there is one (default); false starts over and replaces it.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Every problem with the settings, one message each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(double value, string name)
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                errors.Add($"{name} must be positive (is {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }

        void AtLeast(long value, long minimum, string name)
        {
            if (value < minimum)
            {
                errors.Add($"{name} must be at least {minimum} (is {value}).");
            }
        }

        Positive(LearningRate, "the learning rate");
        Positive(Epsilon, "eps");
        Positive(CosineTemperature, "the cosine temperature");
        if (!(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1))
        {
            errors.Add($"betas must be in [0, 1) (are {Beta1.ToString(CultureInfo.InvariantCulture)}, {Beta2.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!(WeightDecay >= 0) || !(GradientClip >= 0))
        {
            errors.Add("weight decay and gradient clipping must not be negative.");
        }

        AtLeast(WarmupSteps, 0, "warm-up steps");
        AtLeast(Epochs, 1, "epochs");
        AtLeast(MaxSteps ?? 1, 1, "max steps");
        AtLeast(EvalEvery, 1, "eval-every");
        AtLeast(Patience, 0, "patience");
        AtLeast(CheckpointEvery, 1, "checkpoint-every");
        AtLeast(LogEvery, 1, "log-every");
        AtLeast(TextBatch, 1, "the text batch");
        if (!FrozenBackbone)
        {
            errors.AddRange(Lora.Validate().Select(e => "LoRA: " + e));
        }

        if (FrozenBackbone && Pooling != StudentPooling.Pma && Interaction == StudentInteraction.Cosine)
        {
            errors.Add("nothing would train: a frozen backbone with mean or last-token pooling and cosine interaction has no trainable parameter.");
        }

        return errors;
    }
}
