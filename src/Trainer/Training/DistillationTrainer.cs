using System.Globalization;
using Rerank.Model.Bundle;
using Rerank.Model.Heads;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Data;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Losses;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Student;
using Rerank.Trainer.Teacher;
using static TorchSharp.torch;

namespace Rerank.Trainer.Training;

/// <summary>
/// <c>rerank-train train</c>: distils the teacher's judgements of a plan's pairs into the student (D2LLM.md sections 3
/// and 4; docs/training.md, "Training").
/// </summary>
/// <remarks>
/// 1. Opens the student (<see cref="StudentInputs"/>): the backbone in float32 with a new LoRA adapter (or the source's,
///    trained further), or frozen with its hidden states cached (<see cref="FrozenStateCache"/>); heads float32.
/// 2. Checks that the teacher store holds every plan pair (the first missing one is named) and whether it has features
///    (FI is switched off with a warning line when not, or when asked).
/// 3. Resumes from <c>train/checkpoint</c> when there is one and its settings equal these (else refuses, naming each
///    difference); otherwise evaluates the untrained student (step 0) and saves it as the best so far.
/// 4. Step s (1-based) trains on plan batch (s - 1) mod batches: seeds torch from (seed, s) (LoRA dropout), encodes the
///    bs queries and the bs positives and bs*K hard negatives, scores (query i, positive i / hard negative k) and
///    (query i, positive j) on the plan's branch, reads the teacher's p = sigmoid(logit) and features, takes
///    <see cref="DistillationLosses.Combined"/>, back-propagates, clips the global gradient norm and makes one AdamW update
///    at the warm-up rate (<see cref="WarmupSchedule"/>).
/// 5. Every <c>EvalEvery</c> steps and at the end: the held-out metrics; a better one replaces <c>train/best</c>, and
///    <c>Patience</c> evaluations without improvement stop training. Every <c>CheckpointEvery</c> steps, at the end and
///    on cancellation: a checkpoint.
/// Steps total MaxSteps when given (cycling through the plan as often as needed, as Hugging Face's max_steps overrides
/// epochs), else epochs * BatchesPerGrouping.
/// </remarks>
internal static class DistillationTrainer
{
    public static TrainingResult Train(
        StudentSource source,
        TrainingCorpus corpus,
        TrainingPlan plan,
        ITeacherScores teacher,
        TrainingOptions options,
        RunLayout layout,
        TextWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(output);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid training options: " + string.Join(" ", errors), nameof(options));
        }

        if (corpus.Branch != plan.Branch)
        {
            throw new InvalidDataException($"the plan's batches are {plan.Branch} but the data ({corpus.Source}) is {corpus.Branch}: plan this data again");
        }

        if (plan.Batches.Count == 0)
        {
            throw new InvalidDataException("the plan has no training batches");
        }

        // Step 2.
        CheckTeacher(plan, teacher);
        var loss = options.Loss;
        if (loss.FiEnabled && teacher.FeatureDim is null)
        {
            output.WriteLine("warning: the teacher store holds no features (y^T); FI (feature imitation) is switched off");
            loss = loss with { FiEnabled = false };
        }
        else if (!loss.FiEnabled)
        {
            output.WriteLine("warning: FI (feature imitation) is switched off");
        }

        if (plan.HeldOut.Count == 0)
        {
            output.WriteLine("warning: the plan has no held-out queries: no evaluation and no early stopping; the last student is saved as the best");
        }

        // Step 1.
        var trainDirectory = layout.TrainDirectory;
        Directory.CreateDirectory(trainDirectory);
        using var inputs = StudentInputs.Open(source);
        options = options with { Lora = options.Lora.ResolvedFor(inputs.Backbone.Architecture) };
        var device = options.Device is { } name ? TorchSharp.torch.device(name) : CPU;
        if (inputs.Heads.CosinePooling is { } cosinePooling && options.Interaction == StudentInteraction.Cosine)
        {
            throw new ArgumentException($"the cosine term (cosine_pooling {StudentDirectory.PoolingName(cosinePooling)}) cannot be combined with --interaction cosine: that ablation replaces the IEM the term is added to; use --cosine-pooling none for the ablation.");
        }

        var settings = TrainingSettings.Describe(source, plan, teacher, options);
        if (inputs.Heads.CosinePooling is { } termPooling)
        {
            settings["cosine_pooling"] = StudentDirectory.PoolingName(termPooling);
        }
        var checkpoint = options.Resume ? TrainingCheckpoint.Find(trainDirectory) : null;
        if (checkpoint is not null)
        {
            var differences = TrainingSettings.Differences(TrainingCheckpoint.ReadSettings(checkpoint), settings);
            if (differences.Count > 0)
            {
                throw new ArgumentException($"{checkpoint} was written under other settings ({string.Join("; ", differences)}); run with the same settings to resume, or start over without resuming.");
            }
        }

        var backbone = BackboneModel.Create(inputs.Backbone, new BackboneOptions { Device = device });
        FrozenStateCache? cache = null;
        StudentHeads? heads = null;
        try
        {
            backbone.LoadWeights(inputs.Checkpoint);
            LoraAdapter? adapter = null;
            if (source.Lora is { } loraDirectory)
            {
                adapter = LoraAdapter.Load(backbone, loraDirectory);
                if (options.FrozenBackbone)
                {
                    adapter.Merge();
                    adapter = null;
                }
            }
            else if (!options.FrozenBackbone)
            {
                adapter = LoraAdapter.Attach(backbone, options.Lora);
            }

            foreach (var parameter in backbone.parameters())
            {
                parameter.requires_grad = false;
            }

            foreach (var (_, parameter) in adapter?.Parameters ?? [])
            {
                parameter.requires_grad = true;
            }

            heads = StudentHeads.Create(inputs.Heads, inputs.HeadWeights, device);
            if (options.FrozenBackbone)
            {
                var texts = PlanTexts(corpus, plan, inputs.Query, inputs.Passage);
                var fingerprint = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["backbone"] = inputs.Provenance("rerank-train train").Backbone ?? "",
                    ["query_limits"] = $"{inputs.Query.MaxTokens}/{inputs.Query.MaxChars}" + (inputs.Query.Prefix is { } queryPrefix ? "/" + queryPrefix : ""),
                    ["passage_limits"] = $"{inputs.Passage.MaxTokens}/{inputs.Passage.MaxChars}" + (inputs.Passage.Prefix is { } passagePrefix ? "/" + passagePrefix : ""),
                    ["text_batch"] = options.TextBatch.ToString(CultureInfo.InvariantCulture),
                };
                cache = FrozenStateCache.LoadOrCompute(Path.Combine(trainDirectory, "frozen-states.safetensors"), fingerprint, inputs.Backbone, inputs.BackboneWeights, inputs.Tokenizer.Tokenizer, texts, options.TextBatch, output);
            }

            var student = new DistillationStudent(backbone, adapter, heads, inputs.Tokenizer.Tokenizer, cache, options);
            var run = new Run(student, inputs, corpus, plan, teacher, options, loss, trainDirectory, layout.BestStudent, settings, output);
            return run.Execute(checkpoint, cancellationToken);
        }
        finally
        {
            cache?.Dispose();
            heads?.Dispose();
            backbone.Dispose();
        }
    }

    /// <summary>
    /// What the optimizer trains: the heads the ablation uses (PMA unless mean or last-token pooling, the IEM unless cosine;
    /// the others get requires_grad false) and the adapter's lora_A / lora_B; names decide weight decay (<see cref="AdamWOptimizer.Decays"/>).
    /// </summary>
    internal static List<TrainableParameter> TrainableParameters(StudentHeads heads, LoraAdapter? adapter, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(options);
        var parameters = new List<TrainableParameter>();
        foreach (var (name, parameter) in heads.named_parameters())
        {
            var used = name.StartsWith("pma.", StringComparison.Ordinal) ? options.Pooling == StudentPooling.Pma : options.Interaction == StudentInteraction.Iem;
            parameter.requires_grad = used;
            if (used)
            {
                parameters.Add(new TrainableParameter(name, parameter, AdamWOptimizer.Decays(name)));
            }
        }

        foreach (var (name, parameter) in adapter?.Parameters ?? [])
        {
            parameters.Add(new TrainableParameter(name, parameter, AdamWOptimizer.Decays(name)));
        }

        return parameters;
    }

    /// <summary>The seed of step <paramref name="step"/>'s generator: a fixed mix of the run's seed and the step.</summary>
    internal static long StepSeed(int seed, long step) => unchecked((seed * 1_000_003L) + step);

    /// <summary>Every query and passage text the plan reads, keyed <c>q/{id}</c> and <c>p/{id}</c>.</summary>
    internal static List<(string Key, string Text, TextLimits Limits)> PlanTexts(TrainingCorpus corpus, TrainingPlan plan, TextLimits query, TextLimits passage)
    {
        var texts = new List<(string, string, TextLimits)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string key, string id, bool isQuery)
        {
            if (seen.Add(key))
            {
                texts.Add((key, isQuery ? QueryText(corpus, id) : PassageText(corpus, id), isQuery ? query : passage));
            }
        }

        foreach (var planned in plan.Batches.SelectMany(b => b.Queries).Concat(plan.HeldOut))
        {
            Add("q/" + planned.QueryId, planned.QueryId, isQuery: true);
            Add("p/" + planned.Positive, planned.Positive, isQuery: false);
            foreach (var negative in planned.HardNegatives)
            {
                Add("p/" + negative, negative, isQuery: false);
            }
        }

        return texts;
    }

    internal static string QueryText(TrainingCorpus corpus, string id) =>
        corpus.Queries.TryGetValue(id, out var text) ? text : throw new InvalidDataException($"the plan names query '{id}', which the data ({corpus.Source}) does not have");

    internal static string PassageText(TrainingCorpus corpus, string id) =>
        corpus.Passages.TryGetValue(id, out var text) ? text : throw new InvalidDataException($"the plan names passage '{id}', which the data ({corpus.Source}) does not have");

    /// <summary>Refuses a store that lacks a plan pair, naming the first and counting the rest.</summary>
    private static void CheckTeacher(TrainingPlan plan, ITeacherScores teacher)
    {
        var pairs = plan.Pairs();
        var missing = pairs.Where(p => !teacher.TryGet(p.QueryId, p.PassageId, out _)).ToList();
        if (missing.Count > 0)
        {
            var (queryId, passageId) = missing[0];
            throw new InvalidDataException($"the teacher store has no output for query '{queryId}' and passage '{passageId}'{(missing.Count > 1 ? $" (nor for {missing.Count - 1} more of the plan's {pairs.Count} pairs)" : "")}; score the plan again (rerank-train teacher) or import the missing pairs");
        }
    }

    /// <summary>One training run's state and steps.</summary>
    private sealed class Run(
        DistillationStudent student,
        StudentInputs inputs,
        TrainingCorpus corpus,
        TrainingPlan plan,
        ITeacherScores teacher,
        TrainingOptions options,
        DistillationLossOptions loss,
        string trainDirectory,
        string bestDirectory,
        IReadOnlyDictionary<string, string> settings,
        TextWriter output)
    {
        public TrainingResult Execute(string? checkpoint, CancellationToken cancellationToken)
        {
            using var optimizer = new AdamWOptimizer(TrainableParameters(student.Heads, student.Adapter, options), options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
            var totalSteps = options.MaxSteps ?? ((long)options.Epochs * plan.BatchesPerGrouping);
            TrainingState state;
            if (checkpoint is not null)
            {
                state = TrainingCheckpoint.Load(checkpoint, student, optimizer);
                output.WriteLine($"resuming from {checkpoint} at step {state.Step}");
            }
            else
            {
                state = new TrainingState();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training {optimizer.Parameters.Sum(p => p.Parameter.numel())} parameters ({(student.Adapter is null ? "frozen backbone" : "LoRA")}, {options.Pooling}, {options.Interaction}) for {totalSteps} steps, {plan.Batches.Count} batches of {plan.BatchSize} queries, K {plan.HardNegatives}"));
            using var log = new TrainingLog(Path.Combine(trainDirectory, "log.jsonl"), checkpoint is null ? null : state.Step, output);
            if (checkpoint is null && plan.HeldOut.Count > 0)
            {
                var initial = Evaluate(0);
                state.Initial = state.Best = state.Last = initial;
                log.Evaluation(initial, best: true);
                SaveBest(initial);
            }

            var stoppedEarly = false;
            var cancelled = false;
            var savedAt = checkpoint is null ? -1 : state.Step;
            while (state.Step < totalSteps)
            {
                if (options.Patience > 0 && state.EvaluationsWithoutImprovement >= options.Patience)
                {
                    stoppedEarly = true;
                    break;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                var step = state.Step + 1;
                var (terms, norm, rate) = TrainStep(step, optimizer);
                state.Step = step;
                var epoch = (int)(((step - 1) / plan.BatchesPerGrouping) + 1);
                log.Step(step, totalSteps, epoch, rate, norm, terms, options.LogEvery);
                if (plan.HeldOut.Count > 0 && (step % options.EvalEvery == 0 || step == totalSteps))
                {
                    var metrics = Evaluate(step);
                    state.Last = metrics;
                    var better = state.Best is null || HeldOutMetrics.Improves(metrics.Get(options.Metric), state.Best.Get(options.Metric));
                    if (better)
                    {
                        state.Best = metrics;
                        state.EvaluationsWithoutImprovement = 0;
                        SaveBest(metrics);
                    }
                    else
                    {
                        state.EvaluationsWithoutImprovement++;
                    }

                    log.Evaluation(metrics, better);
                }

                if (step % options.CheckpointEvery == 0 || step == totalSteps)
                {
                    TrainingCheckpoint.Save(trainDirectory, state, settings, student, optimizer);
                    savedAt = step;
                }
            }

            if (savedAt != state.Step)
            {
                TrainingCheckpoint.Save(trainDirectory, state, settings, student, optimizer);
            }

            if (plan.HeldOut.Count == 0 && !cancelled)
            {
                SaveBest(null);
            }

            if (stoppedEarly)
            {
                output.WriteLine($"early stop at step {state.Step}: {options.Patience} evaluations without a better {options.Metric}");
            }
            else if (cancelled)
            {
                output.WriteLine($"cancelled at step {state.Step}; checkpoint saved, run again to resume");
            }

            return new TrainingResult(state.Step, state.Initial, state.Best, state.Last, stoppedEarly, cancelled, loss.FiEnabled, bestDirectory);
        }

        private (IReadOnlyList<KeyValuePair<string, double>> Terms, double GradientNorm, double LearningRate) TrainStep(long step, AdamWOptimizer optimizer)
        {
            manual_seed(StepSeed(options.Seed, step));
            if (cuda.is_available())
            {
                cuda.manual_seed_all(StepSeed(options.Seed, step));
            }

            student.SetTraining(true);
            using var scope = NewDisposeScope();
            var batch = plan.Batches[(int)((step - 1) % plan.Batches.Count)];
            var distillation = Assemble(batch);
            var terms = DistillationLosses.Combined(distillation, loss);
            optimizer.ZeroGrad();
            terms.Total.backward();
            var norm = optimizer.ClipGradients(options.GradientClip);
            var rate = options.LearningRate * WarmupSchedule.Factor(step, options.WarmupSteps);
            optimizer.Step(rate);
            var values = terms.ToLogValues();
            optimizer.ZeroGrad();
            return (values, norm, rate);
        }

        /// <summary>Student and teacher tensors of one planned batch.</summary>
        private DistillationBatch Assemble(PlannedBatch batch)
        {
            var queries = batch.Queries;
            var bs = queries.Count;
            var k = queries[0].HardNegatives.Count;
            var device = student.Device;
            var q = student.Encode([.. queries.Select(x => ("q/" + x.QueryId, QueryText(corpus, x.QueryId), inputs.Query))]);
            var passages = student.Encode([.. queries.Select(x => x.Positive).Concat(queries.SelectMany(x => x.HardNegatives)).Select(id => ("p/" + id, PassageText(corpus, id), inputs.Passage))]);
            var d = q.shape[1];
            var positives = passages.narrow(0, 0, bs);
            var candidates = cat([positives.unsqueeze(1), passages.narrow(0, bs, bs * k).view(bs, k, d)], 1); // [bs, 1+K, d]
            var (candidateLogits, candidateFeatures) = student.Interact(q.unsqueeze(1).expand(bs, 1 + k, d).reshape(-1, d), candidates.reshape(-1, d), plan.Branch);
            candidateLogits = candidateLogits.view(bs, 1 + k);
            var (inBatch, _) = student.Interact(q.unsqueeze(1).expand(bs, bs, d).reshape(-1, d), positives.unsqueeze(0).expand(bs, bs, d).reshape(-1, d), plan.Branch);

            var teacherPositive = new float[bs];
            var teacherHard = new float[bs * k];
            var teacherInBatch = new float[bs * bs];
            var featureDim = teacher.FeatureDim ?? 0;
            var teacherFeatures = loss.FiEnabled ? new float[bs * (1 + k) * featureDim] : null;
            for (var i = 0; i < bs; i++)
            {
                var query = queries[i];
                for (var c = 0; c <= k; c++)
                {
                    var passage = c == 0 ? query.Positive : query.HardNegatives[c - 1];
                    var output = Teacher(query.QueryId, passage);
                    if (c == 0)
                    {
                        teacherPositive[i] = (float)output.YesProbability;
                    }
                    else
                    {
                        teacherHard[(i * k) + c - 1] = (float)output.YesProbability;
                    }

                    if (teacherFeatures is not null)
                    {
                        if (output.Features is not { } features || features.Length != featureDim)
                        {
                            throw new InvalidDataException($"the teacher store has no {featureDim}-wide features for query '{query.QueryId}' and passage '{passage}', which FI needs; switch FI off or score the pair again");
                        }

                        features.CopyTo(teacherFeatures, ((i * (1 + k)) + c) * featureDim);
                    }
                }

                for (var j = 0; j < bs; j++)
                {
                    teacherInBatch[(i * bs) + j] = (float)Teacher(query.QueryId, queries[j].Positive).YesProbability;
                }
            }

            return new DistillationBatch(
                candidateLogits.select(1, 0),
                candidateLogits.narrow(1, 1, k),
                inBatch.view(bs, bs),
                tensor(teacherPositive, [bs], device: device),
                tensor(teacherHard, [bs, k], device: device),
                tensor(teacherInBatch, [bs, bs], device: device),
                loss.FiEnabled ? candidateFeatures.view(bs, 1 + k, -1) : null,
                teacherFeatures is null ? null : tensor(teacherFeatures, [bs, 1 + k, featureDim], device: device));
        }

        private TeacherOutput Teacher(string queryId, string passageId) =>
            teacher.TryGet(queryId, passageId, out var output) ? output
            : throw new InvalidDataException($"the teacher store has no output for query '{queryId}' and passage '{passageId}'");

        /// <summary>The held-out metrics of the current student (evaluation mode, no gradients).</summary>
        private HeldOutMetrics Evaluate(long step)
        {
            student.SetTraining(false);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var heldOut = plan.HeldOut;
            var q = student.Encode([.. heldOut.Select(x => ("q/" + x.QueryId, QueryText(corpus, x.QueryId), inputs.Query))]);
            var candidateIds = heldOut.SelectMany(x => x.HardNegatives.Prepend(x.Positive)).Distinct(StringComparer.Ordinal).ToList();
            var rows = candidateIds.Select((id, row) => (id, row)).ToDictionary(x => x.id, x => (long)x.row, StringComparer.Ordinal);
            var p = student.Encode([.. candidateIds.Select(id => ("p/" + id, PassageText(corpus, id), inputs.Passage))]);
            var queryRows = new List<long>();
            var passageRows = new List<long>();
            for (var i = 0; i < heldOut.Count; i++)
            {
                foreach (var id in heldOut[i].HardNegatives.Prepend(heldOut[i].Positive))
                {
                    queryRows.Add(i);
                    passageRows.Add(rows[id]);
                }
            }

            var (logits, _) = student.Interact(q.index_select(0, tensor(queryRows.ToArray(), device: student.Device)), p.index_select(0, tensor(passageRows.ToArray(), device: student.Device)), plan.Branch);
            var values = logits.to(ScalarType.Float64).cpu().data<double>().ToArray();
            var studentLogits = new List<IReadOnlyList<double>>();
            var teacherLogits = new List<IReadOnlyList<double>>();
            var offset = 0;
            foreach (var query in heldOut)
            {
                var candidates = query.HardNegatives.Prepend(query.Positive).ToList();
                studentLogits.Add(values.AsSpan(offset, candidates.Count).ToArray());
                teacherLogits.Add([.. candidates.Select(id => (double)Teacher(query.QueryId, id).Logit)]);
                offset += candidates.Count;
            }

            return HeldOutEvaluation.Compute(step, studentLogits, teacherLogits);
        }

        /// <summary>
        /// <c>training.json</c> of the best student (<see cref="TrainingProvenance"/>): teacher, data, the weight of every loss
        /// term that is on, the held-out metrics it was chosen by, and the settings a reader needs (pooling, interaction,
        /// LoRA or frozen backbone, the step).
        /// </summary>
        private TrainingProvenance Provenance(HeldOutMetrics? metrics)
        {
            var losses = new Dictionary<string, double>(StringComparer.Ordinal);
            void Term(bool on, string name, double weight)
            {
                if (on)
                {
                    losses[name] = weight;
                }
            }

            Term(loss.InBatchEnabled, "inbatch", loss.InBatchWeight);
            Term(loss.CiEnabled, loss.CiMode == CiMode.PlainContrastive ? "contrastive" : "ci", loss.CiWeight);
            Term(loss.RiPhEnabled, "ri_ph", loss.RiPhWeight);
            Term(loss.RiHiEnabled, "ri_hi", loss.RiHiWeight);
            Term(loss.FiEnabled, "fi", loss.FiWeight);
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            if (metrics is not null)
            {
                foreach (var (name, value) in new[] { ("heldout_pooled_spearman", metrics.PooledSpearman), ("heldout_mean_query_spearman", metrics.MeanQuerySpearman), ("heldout_mrr", metrics.Mrr) })
                {
                    if (double.IsFinite(value))
                    {
                        values[name] = value;
                    }
                }

                values["step"] = metrics.Step;
            }

            var backbone = student.Adapter is null
                ? "frozen backbone" + (inputs.Source.Lora is { } lora ? $" with the LoRA adapter {Path.GetFullPath(lora)} merged (export with --lora)" : "")
                : $"LoRA r {options.Lora.Rank}, alpha {options.Lora.Alpha.ToString(CultureInfo.InvariantCulture)}";
            return new TrainingProvenance
            {
                Teacher = teacher.Describe(),
                TrainingData = $"{corpus.Source} ({corpus.Branch.ToString().ToLowerInvariant()}, {corpus.Train.Count} training queries; held out: {corpus.HeldOutDescription})",
                Losses = losses,
                Metrics = values,
                Pooling = options.Pooling switch { StudentPooling.Mean => "mean", StudentPooling.LastToken => "last-token", _ => "pma" },
                Interaction = options.Interaction == StudentInteraction.Cosine ? "cosine" : "iem",
                Notes = $"Distilled by rerank-train train: {backbone}, RI_HI lambda {(loss.RiHiLambda == RiHiLambda.PaperRank ? "rank" : "code")}, bs {plan.BatchSize}, K {plan.HardNegatives}{(student.Heads.Config.CosinePooling is { } cosine ? $", cosine term on ({StudentDirectory.PoolingName(cosine)} pooling)" : "")}.",
            };
        }

        /// <summary>Replaces <c>train/best</c> with the current student (heads with the text limits, the adapter, <c>training.json</c>).</summary>
        private void SaveBest(HeldOutMetrics? metrics)
        {
            var temporary = bestDirectory + ".tmp";
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            StudentDirectory.Write(temporary, student.Heads.Config, student.Heads.ToWeightSet(), inputs.Query, inputs.Passage);
            student.Adapter?.Save(Path.Combine(temporary, "lora"));
            Provenance(metrics).Write(temporary);
            if (Directory.Exists(bestDirectory))
            {
                Directory.Delete(bestDirectory, recursive: true);
            }

            Directory.Move(temporary, bestDirectory);
        }
    }
}
