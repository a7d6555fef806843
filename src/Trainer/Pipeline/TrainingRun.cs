using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.Model.Runtime;
using Rerank.Trainer.Data;
using Rerank.Trainer.Export;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Student;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Pipeline;

/// <summary>
/// <c>rerank-train run</c>: every stage in one run directory, each resuming where an earlier run stopped (docs/training.md,
/// "Run directory and run").
/// </summary>
/// <remarks>
/// 1. mine (skips queries already in <c>negatives.jsonl</c>); 2. plan (recomputed, about a second; the teacher refuses a
/// store made for another plan); 3. teacher (resumes its store; complete, it is only checked); 4. train (resumes from
/// <c>train/checkpoint</c>); 5. export of <c>train/best</c> to <c>bundle/</c>; 6. the bundle, run by ONNX Runtime, scores
/// the held-out pairs again, so the report shows what is served and not only what was trained; 7. <c>report.json</c>.
/// </remarks>
internal static class TrainingRun
{
    public const string CreatedBy = "rerank-train run";

    /// <summary>Runs every stage; returns the report, or null when training was cancelled (a checkpoint was saved; running again resumes).</summary>
    public static JsonObject? Execute(TrainingCorpus corpus, TrainingRunSettings settings, RunLayout layout, TextWriter output, TextWriter error, bool terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(layout);
        Directory.CreateDirectory(layout.Root);
        var seconds = new JsonObject();
        var clock = Stopwatch.StartNew();
        void Lap(string stage)
        {
            seconds[stage] = Math.Round(clock.Elapsed.TotalSeconds, 1);
            clock.Restart();
        }

        // Step 1.
        output.WriteLine("run: mine");
        var mined = HardNegativeMiner.Mine(corpus, layout, settings.Mining, output, error, terminal, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mine: {mined.Queries:N0} queries ({mined.Mined:N0} mined now, {mined.Resumed:N0} from an earlier run)"));
        Lap("mine");

        // Step 2.
        output.WriteLine("run: plan");
        var (plan, statistics) = TrainingPlanner.Create(corpus, NegativesFile.Read(layout.Negatives, corpus), settings.Plan);
        PlanFile.Write(layout.Plan, plan, corpus, statistics);
        var pairs = plan.Pairs().Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plan: {plan.Batches.Count:N0} batches of {plan.BatchSize}, {plan.HeldOut.Count:N0} held-out queries, {pairs:N0} teacher pairs"));
        Lap("plan");

        // Step 3.
        output.WriteLine("run: teacher");
        cancellationToken.ThrowIfCancellationRequested();
        var (_, scored, resumed) = TeacherRun.Run(corpus, plan, settings.Teacher, output, error, terminal);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher: {scored:N0} pairs ({resumed:N0} from an earlier run)"));
        Lap("teacher");

        // Step 4.
        output.WriteLine("run: train");
        TrainingResult trained;
        string teacherDescription;
        using (var store = TeacherStore.OpenMerged(layout.TeacherDirectory))
        {
            teacherDescription = store.Describe();
            trained = DistillationTrainer.Train(settings.Student, corpus, plan, store, settings.Training, layout, output, cancellationToken);
        }

        Lap("train");
        if (trained.Cancelled)
        {
            return null;
        }

        // Step 5.
        output.WriteLine("run: export");
        var trainedLora = Path.Combine(trained.BestStudent, "lora");
        var exportSource = new StudentSource
        {
            Checkpoint = settings.Student.Checkpoint,
            Lora = Directory.Exists(trainedLora) ? trainedLora : settings.Student.Lora,
            Student = trained.BestStudent,
        };
        ModelManifest manifest;
        using (var inputs = StudentInputs.Open(exportSource))
        {
            manifest = BundleExporter.Export(inputs, layout.Bundle);
        }

        output.WriteLine($"export: model {manifest.ModelId} in {layout.Bundle}");
        Lap("export");

        // Step 6.
        var served = ServedAgreement(corpus, plan, layout);
        Lap("bundle_check");

        // Step 7.
        var report = Report(corpus, settings, plan, statistics, mined, scored, teacherDescription, trained, manifest, layout, served, seconds);
        HfModelConfig.WriteJson(layout.Report, report);
        return report;
    }

    /// <summary>
    /// Pooled teacher-student Spearman on the held-out pairs with the exported bundle in ONNX Runtime (query embedding,
    /// passage projections, factorised scorer), or NaN without held-out queries.
    /// </summary>
    internal static double ServedAgreement(TrainingCorpus corpus, TrainingPlan plan, RunLayout layout)
    {
        if (plan.HeldOut.Count == 0)
        {
            return double.NaN;
        }

        using var model = StudentModel.Load(layout.Bundle);
        using var store = TeacherStore.OpenMerged(layout.TeacherDirectory);
        var queries = model.EncodeQueries([.. plan.HeldOut.Select(q => corpus.Queries[q.QueryId])]);
        var student = new List<double>();
        var teacher = new List<double>();
        for (var i = 0; i < plan.HeldOut.Count; i++)
        {
            var query = plan.HeldOut[i];
            var candidates = query.HardNegatives.Prepend(query.Positive).ToList();
            var passages = model.EncodePassages([.. candidates.Select(id => corpus.Passages[id])]);
            var logits = new float[candidates.Count];
            model.Score(queries.AsMemory(i * model.Dim, model.Dim), passages.Projections, plan.Branch, logits);
            foreach (var (id, logit) in candidates.Zip(logits))
            {
                if (!store.TryGet(query.QueryId, id, out var output))
                {
                    throw new InvalidDataException($"the teacher store has no score for the held-out pair ({query.QueryId}, {id})");
                }

                student.Add(logit);
                teacher.Add(output.Logit);
            }
        }

        return Correlation.Spearman(student, teacher);
    }

    private static JsonObject Report(
        TrainingCorpus corpus,
        TrainingRunSettings settings,
        TrainingPlan plan,
        PlanStatistics statistics,
        MiningSummary mined,
        int scored,
        string teacher,
        TrainingResult trained,
        ModelManifest manifest,
        RunLayout layout,
        double served,
        JsonObject seconds)
    {
        static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
        var provenance = TrainingProvenance.Read(trained.BestStudent);
        var losses = new JsonObject();
        foreach (var (name, weight) in provenance?.Losses ?? new Dictionary<string, double>())
        {
            losses[name] = weight;
        }

        return new JsonObject
        {
            ["format"] = "rerank-train-report",
            ["version"] = 1,
            ["data"] = new JsonObject
            {
                ["source"] = corpus.Source,
                ["branch"] = corpus.Branch.ToString().ToLowerInvariant(),
                ["training_queries"] = corpus.Train.Count,
                ["heldout_queries"] = corpus.HeldOut.Count,
                ["heldout"] = corpus.HeldOutDescription,
                ["passages"] = corpus.Passages.Count,
            },
            ["mine"] = new JsonObject { ["queries"] = mined.Queries, ["top"] = settings.Mining.Top, ["fewer_than_top"] = mined.FewerThanTop },
            ["plan"] = new JsonObject
            {
                ["batches"] = plan.Batches.Count,
                ["batch_size"] = plan.BatchSize,
                ["hard_negatives"] = plan.HardNegatives,
                ["groupings"] = plan.Batches.Count / plan.BatchesPerGrouping,
                ["dropped_per_grouping"] = new JsonArray([.. statistics.DroppedPerGrouping.Select(d => (JsonNode)d)]),
                ["heldout_queries"] = plan.HeldOut.Count,
                ["teacher_pairs"] = scored,
            },
            ["teacher"] = teacher,
            ["student"] = settings.Student.Checkpoint,
            ["train"] = new JsonObject
            {
                ["steps"] = trained.Steps,
                ["stopped_early"] = trained.StoppedEarly,
                ["feature_imitation"] = trained.FeatureImitation,
                ["best_step"] = trained.Best?.Step,
                ["backbone"] = settings.Training.FrozenBackbone ? "frozen" : "lora",
                ["losses"] = losses,
            },
            ["spearman_before"] = Number(trained.Initial?.PooledSpearman),
            ["spearman_after"] = Number(trained.Best?.PooledSpearman),
            ["spearman_after_bundle"] = Number(served),
            ["mean_query_spearman_before"] = Number(trained.Initial?.MeanQuerySpearman),
            ["mean_query_spearman_after"] = Number(trained.Best?.MeanQuerySpearman),
            ["mrr_before"] = Number(trained.Initial?.Mrr),
            ["mrr_after"] = Number(trained.Best?.Mrr),
            ["heldout_pairs"] = trained.Best?.Pairs,
            ["bundle"] = new JsonObject { ["path"] = layout.Bundle, ["model_id"] = manifest.ModelId },
            ["seconds"] = seconds,
        };
    }
}
