using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Losses;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Cli;

/// <summary>
/// Every <see cref="TrainingOptions"/> setting as a <c>rerank-train train</c> option (docs/training.md, "Training"):
/// the loss terms' switches, weights and variants, the ablations, LoRA, the optimizer and schedule, the run's length,
/// evaluation, checkpoints and logging.
/// </summary>
internal sealed class TrainingOptionsCli
{
    private static readonly TrainingOptions Defaults = new();
    private static readonly DistillationLossOptions LossDefaults = new();

    public Option<bool> NoInBatch { get; } = new("--no-inbatch") { Description = "Switch the in-batch InfoNCE term off." };

    public Option<bool> NoCi { get; } = new("--no-ci") { Description = "Switch contrastive imitation (CI) off." };

    public Option<bool> NoRiPh { get; } = new("--no-ri-ph") { Description = "Switch rank imitation positive vs hard (RI_PH) off." };

    public Option<bool> NoRiHi { get; } = new("--no-ri-hi") { Description = "Switch rank imitation hard vs easy (RI_HI) off." };

    public Option<bool> NoFi { get; } = new("--no-fi") { Description = "Switch feature imitation (FI) off (it is off anyway, with a warning, when the teacher store has no features)." };

    public Option<double> InBatchWeight { get; } = Weight("--inbatch-weight", LossDefaults.InBatchWeight, "the in-batch InfoNCE term");

    public Option<double> CiWeight { get; } = Weight("--ci-weight", LossDefaults.CiWeight, "CI");

    public Option<double> RiPhWeight { get; } = Weight("--ri-ph-weight", LossDefaults.RiPhWeight, "RI_PH");

    public Option<double> RiHiWeight { get; } = Weight("--ri-hi-weight", LossDefaults.RiHiWeight, "RI_HI");

    public Option<double> FiWeight { get; } = Weight("--fi-weight", LossDefaults.FiWeight, "FI");

    public Option<string> CiMode { get; } = Choice("--ci-mode", "CI: teacher (D2LLM, the code's) or plain (the -CI+CL ablation: plain contrastive).", "teacher", "teacher", "plain");

    public Option<bool> CiInBatch { get; } = new("--ci-in-batch") { Description = "The paper's CI: in-batch negatives join the hard negatives in CI's softmax (default: the code's, hard negatives only)." };

    public Option<string> RiHiLambda { get; } = Choice("--ri-hi-lambda", "RI_HI's weight: code (clipped probability difference) or rank (the paper's rank-based weight).", "code", "code", "rank");

    public Option<double> RiHiScale { get; } = new Option<double>("--ri-hi-scale") { Description = "The code's scale_param: the clipped-difference lambda is divided by it (default 1).", DefaultValueFactory = _ => LossDefaults.RiHiScale };

    public Option<string> Pooling { get; } = Choice("--pooling", "Pooling: pma (the student's), mean or last-token (ablations; a bundle serves PMA only).", "pma", "pma", "mean", "last-token");

    public Option<string> Interaction { get; } = Choice("--interaction", "Interaction: iem (the student's) or cosine (ablation; FI then reads q/|q| * p/|p|; a bundle serves the IEM only).", "iem", "iem", "cosine");

    public Option<double> CosineTemperature { get; } = new Option<double>("--cosine-temperature") { Description = "With --interaction cosine, z = cos / this (default 0.05).", DefaultValueFactory = _ => Defaults.CosineTemperature };

    public Option<bool> FrozenBackbone { get; } = new("--frozen-backbone") { Description = "No LoRA: freeze the backbone, cache its final hidden states once (train/frozen-states.safetensors) and train the heads only." };

    public Option<int> LoraRank { get; } = new Option<int>("--lora-r") { Description = "LoRA rank r (default 8).", DefaultValueFactory = _ => Defaults.Lora.Rank }.AtLeast(1);

    public Option<double> LoraAlpha { get; } = new Option<double>("--lora-alpha") { Description = "LoRA alpha (default 8; the update is scaled by alpha / r).", DefaultValueFactory = _ => Defaults.Lora.Alpha };

    public Option<double> LoraDropout { get; } = new Option<double>("--lora-dropout") { Description = "LoRA dropout (default 0.05).", DefaultValueFactory = _ => Defaults.Lora.Dropout };

    public Option<double> LearningRate { get; } = new Option<double>("--lr") { Description = "AdamW learning rate after the warm-up (default 1e-4).", DefaultValueFactory = _ => Defaults.LearningRate };

    public Option<int> Warmup { get; } = new Option<int>("--warmup") { Description = "Steps of the log-shaped warm-up (default 1000; 0 for none).", DefaultValueFactory = _ => Defaults.WarmupSteps }.AtLeast(0);

    public Option<double> WeightDecay { get; } = new Option<double>("--weight-decay") { Description = "AdamW weight decay on every trainable weight but biases (default 0.01).", DefaultValueFactory = _ => Defaults.WeightDecay };

    public Option<double> Clip { get; } = new Option<double>("--clip") { Description = "Clip the global gradient norm to this (default 1.0; 0 for none).", DefaultValueFactory = _ => Defaults.GradientClip };

    public Option<int> Epochs { get; } = new Option<int>("--epochs") { Description = "Epochs; one epoch is one grouping of the plan (default 5).", DefaultValueFactory = _ => Defaults.Epochs }.AtLeast(1);

    public Option<int?> MaxSteps { get; } = new Option<int?>("--max-steps") { Description = "Train this many steps in all, cycling through the plan; overrides --epochs (default: the epochs' steps)." }.AtLeast(1);

    public Option<int> EvalEvery { get; } = new Option<int>("--eval-every") { Description = "Evaluate on the held-out queries every this many steps (default 200; also at step 0 and at the end).", DefaultValueFactory = _ => Defaults.EvalEvery }.AtLeast(1);

    public Option<int> Patience { get; } = new Option<int>("--patience") { Description = "Stop after this many evaluations without a better metric (default 5; 0 never stops early).", DefaultValueFactory = _ => Defaults.Patience }.AtLeast(0);

    public Option<string> Metric { get; } = Choice("--metric", "The held-out metric for the best student and early stopping: pooled-spearman, query-spearman or mrr.", "pooled-spearman", "pooled-spearman", "query-spearman", "mrr");

    public Option<int> CheckpointEvery { get; } = new Option<int>("--checkpoint-every") { Description = "Write a resumable checkpoint every this many steps (default 200; also at the end and on Ctrl+C).", DefaultValueFactory = _ => Defaults.CheckpointEvery }.AtLeast(1);

    public Option<int> LogEvery { get; } = new Option<int>("--log-every") { Description = "A console line every this many steps (default 20; train/log.jsonl has every step).", DefaultValueFactory = _ => Defaults.LogEvery }.AtLeast(1);

    public Option<int> Seed { get; } = new Option<int>("--seed") { Description = "Seed of LoRA's initialisation and of every step's dropout (default 2023).", DefaultValueFactory = _ => Defaults.Seed };

    public Option<int> TextBatch { get; } = new Option<int>("--text-batch") { Description = "Texts per backbone call (default 32).", DefaultValueFactory = _ => Defaults.TextBatch }.AtLeast(1);

    public Option<string?> Device { get; } = new("--device") { Description = "Torch device: cpu (default), cuda or cuda:N (needs the CUDA build)." };

    public Option<bool> NoResume { get; } = new("--no-resume") { Description = "Start over even when train/checkpoint exists (it is replaced)." };

    public IEnumerable<Option> All =>
    [
        NoInBatch, NoCi, NoRiPh, NoRiHi, NoFi, InBatchWeight, CiWeight, RiPhWeight, RiHiWeight, FiWeight, CiMode, CiInBatch, RiHiLambda, RiHiScale,
        Pooling, Interaction, CosineTemperature, FrozenBackbone, LoraRank, LoraAlpha, LoraDropout, LearningRate, Warmup, WeightDecay, Clip,
        Epochs, MaxSteps, EvalEvery, Patience, Metric, CheckpointEvery, LogEvery, Seed, TextBatch, Device, NoResume,
    ];

    /// <summary>The options as given (values are checked by <see cref="TrainingOptions.Validate"/> when training starts).</summary>
    public TrainingOptions Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var seed = parse.GetValue(Seed);
        return new TrainingOptions
        {
            Loss = new DistillationLossOptions
            {
                InBatchEnabled = !parse.GetValue(NoInBatch),
                InBatchWeight = parse.GetValue(InBatchWeight),
                CiEnabled = !parse.GetValue(NoCi),
                CiWeight = parse.GetValue(CiWeight),
                CiMode = parse.GetValue(CiMode) == "plain" ? Losses.CiMode.PlainContrastive : Losses.CiMode.TeacherWeighted,
                CiWithInBatchNegatives = parse.GetValue(CiInBatch),
                RiPhEnabled = !parse.GetValue(NoRiPh),
                RiPhWeight = parse.GetValue(RiPhWeight),
                RiHiEnabled = !parse.GetValue(NoRiHi),
                RiHiWeight = parse.GetValue(RiHiWeight),
                RiHiLambda = parse.GetValue(RiHiLambda) == "rank" ? Losses.RiHiLambda.PaperRank : Losses.RiHiLambda.ClippedProbabilityDifference,
                RiHiScale = parse.GetValue(RiHiScale),
                FiEnabled = !parse.GetValue(NoFi),
                FiWeight = parse.GetValue(FiWeight),
            },
            Pooling = parse.GetValue(Pooling) switch { "mean" => StudentPooling.Mean, "last-token" => StudentPooling.LastToken, _ => StudentPooling.Pma },
            Interaction = parse.GetValue(Interaction) == "cosine" ? StudentInteraction.Cosine : StudentInteraction.Iem,
            CosineTemperature = parse.GetValue(CosineTemperature),
            FrozenBackbone = parse.GetValue(FrozenBackbone),
            Lora = new LoraOptions { Rank = parse.GetValue(LoraRank), Alpha = parse.GetValue(LoraAlpha), Dropout = parse.GetValue(LoraDropout), Seed = seed },
            LearningRate = parse.GetValue(LearningRate),
            WarmupSteps = parse.GetValue(Warmup),
            WeightDecay = parse.GetValue(WeightDecay),
            GradientClip = parse.GetValue(Clip),
            Epochs = parse.GetValue(Epochs),
            MaxSteps = parse.GetValue(MaxSteps),
            EvalEvery = parse.GetValue(EvalEvery),
            Patience = parse.GetValue(Patience),
            Metric = parse.GetValue(Metric) switch { "query-spearman" => EarlyStoppingMetric.MeanQuerySpearman, "mrr" => EarlyStoppingMetric.Mrr, _ => EarlyStoppingMetric.PooledSpearman },
            CheckpointEvery = parse.GetValue(CheckpointEvery),
            LogEvery = parse.GetValue(LogEvery),
            Seed = seed,
            TextBatch = parse.GetValue(TextBatch),
            Device = parse.GetValue(Device),
            Resume = !parse.GetValue(NoResume),
        };
    }

    private static Option<double> Weight(string name, double defaultValue, string term) =>
        new(name) { Description = $"The weight of {term} (default {defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => defaultValue };

    private static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
