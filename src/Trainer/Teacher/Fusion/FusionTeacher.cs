using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Trainer.Data;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// <c>rerank-train teacher fuse</c>: a teacher made of the signals this machine has without an LLM, BM25 and pretrained
/// bi-encoders, calibrated on the training data (docs/starter-model.md, "Teacher").
/// </summary>
/// <remarks>
/// 1. BM25 (the run's index) searches every plan query, every fitting query (a seeded sample of train) and every held-out
///    query; each encoder embeds those queries and every passage of their windows and of the plan's pairs.
/// 2. Fitting queries: the window plus the positives, labelled by the qrels. Held-out queries: the window only, so their
///    nDCG@10 is what reranking BM25's window would give.
/// 3. Every non-empty feature subset gets a logistic fit; the best held-out nDCG@10 wins (<see cref="FusionSelection"/>).
/// 4. The winner's logit for every plan pair is written in <c>teacher import</c>'s JSONL format (<see cref="RunLayout.FusionScores"/>),
///    with a report (<see cref="RunLayout.FusionReport"/>). A logistic logit is a calibrated log-odds of relevance, the
///    same quantity an LLM teacher's z_yes - z_no is.
/// </remarks>
internal static class FusionTeacher
{
    public static FusionResult Run(
        TrainingCorpus corpus,
        TrainingPlan plan,
        RunLayout layout,
        IReadOnlyList<ITextEmbedder> embedders,
        FusionSettings settings,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(embedders);
        settings.Validate();

        // Step 1.
        var fit = corpus.Train.ToList();
        SeededRandom.For(plan.Seed, "fusion-fit").Shuffle(fit);
        fit = [.. fit.Take(settings.FitQueries)];
        var heldOutIds = plan.HeldOut.Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
        var dev = corpus.HeldOut.Where(q => heldOutIds.Contains(q.QueryId)).ToList();
        if (dev.Count == 0)
        {
            throw new InvalidDataException($"{layout.Plan}: the plan has no held-out queries of this data; the fusion is chosen on them.");
        }

        var pairs = plan.Pairs();
        var queryIds = pairs.Select(p => p.QueryId).Concat(fit.Select(q => q.QueryId)).Concat(dev.Select(q => q.QueryId))
            .ToHashSet(StringComparer.Ordinal);
        FusionFeatures features;
        using (var index = HardNegativeMiner.OpenIndex(corpus, layout))
        {
            var positives = fit.SelectMany(q => q.Positives.Select(p => (q.QueryId, p)));
            features = FusionFeatures.Build(corpus, index, embedders, queryIds, pairs.Concat(positives), settings.Window, output, error, cancellationToken);
        }

        // Steps 2 and 3.
        var fitQueries = fit.Select(q => Candidates(features, q, withPositives: true)).ToList();
        var devQueries = dev.Select(q => Candidates(features, q, withPositives: false)).ToList();
        var ranked = FusionSelection.Rank(features.Names, fitQueries, devQueries, settings.Ridge);
        var chosen = ranked[0];
        var bm25Order = devQueries.Average(q => IrMetrics.Ndcg(q.Candidates, Judgments(q), FusionSelection.NdcgDepth));
        foreach (var choice in ranked)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher fuse: {string.Join(" + ", choice.Names),-32} held-out nDCG@10 {choice.DevNdcg:F4}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher fuse: BM25 order alone: held-out nDCG@10 {bm25Order:F4}; chosen: {chosen.Describe()}"));

        // Step 4.
        WriteScores(layout.FusionScores, pairs, features, chosen);
        var result = new FusionResult(chosen, ranked, bm25Order, fit.Count, dev.Count, pairs.Count, layout.FusionScores);
        WriteReport(layout.FusionReport, result, settings);
        return result;
    }

    private static FusionQuery Candidates(FusionFeatures features, TrainingQuery query, bool withPositives)
    {
        var candidates = features.Window(query.QueryId).ToList();
        if (withPositives)
        {
            candidates.AddRange(query.Positives.Except(candidates, StringComparer.Ordinal));
        }

        var positives = query.Positives.ToHashSet(StringComparer.Ordinal);
        return new FusionQuery(
            query.QueryId,
            candidates,
            [.. candidates.Select(p => features.Row(query.QueryId, p))],
            [.. candidates.Select(positives.Contains)]);
    }

    private static Dictionary<string, int> Judgments(FusionQuery query) =>
        Enumerable.Range(0, query.Candidates.Count).Where(i => query.Relevant[i]).ToDictionary(i => query.Candidates[i], _ => 1, StringComparer.Ordinal);

    private static void WriteScores(string path, IReadOnlyList<(string QueryId, string PassageId)> pairs, FusionFeatures features, FusionChoice chosen)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (var (queryId, passageId) in pairs)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteString("query_id", queryId);
                    writer.WriteString("passage_id", passageId);
                    writer.WriteNumber("logit", (float)chosen.Logit(features.Row(queryId, passageId)));
                    writer.WriteEndObject();
                }

                stream.WriteByte((byte)'\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteReport(string path, FusionResult result, FusionSettings settings)
    {
        var report = new Dictionary<string, object>
        {
            ["chosen"] = Describe(result.Chosen),
            ["candidates"] = result.Ranked.Select(Describe).ToList(),
            ["bm25_order_ndcg10"] = result.Bm25OrderNdcg,
            ["window"] = settings.Window,
            ["fit_queries"] = result.FitQueries,
            ["held_out_queries"] = result.HeldOutQueries,
            ["pairs"] = result.Pairs,
            ["ridge"] = settings.Ridge,
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        File.WriteAllText(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        static Dictionary<string, object> Describe(FusionChoice choice) => new()
        {
            ["features"] = choice.Names,
            ["bias"] = choice.Theta[0],
            ["weights"] = choice.Theta.Skip(1).ToList(),
            ["held_out_ndcg10"] = choice.DevNdcg,
        };
    }
}
