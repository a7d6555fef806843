using System.Text.Json.Nodes;

namespace Rerank.Trainer.Training;

/// <summary>Teacher-student agreement on the held-out queries at one step (docs/training.md, "Training").</summary>
/// <param name="Step">The optimizer steps taken when measured (0: the untrained student).</param>
/// <param name="PooledSpearman">Spearman of student logits z^S against teacher logits over every held-out pair (NaN when either has no spread).</param>
/// <param name="MeanQuerySpearman">The mean of the per-query Spearman over the queries where both sides have spread (NaN when none has).</param>
/// <param name="Mrr">Mean reciprocal rank of each query's positive among its candidates by z^S, ties counted against it.</param>
/// <param name="Pairs">Held-out pairs scored.</param>
/// <param name="Queries">Held-out queries.</param>
internal sealed record HeldOutMetrics(long Step, double PooledSpearman, double MeanQuerySpearman, double Mrr, int Pairs, int Queries)
{
    /// <summary>The value of <paramref name="metric"/> (higher is better).</summary>
    public double Get(EarlyStoppingMetric metric) => metric switch
    {
        EarlyStoppingMetric.PooledSpearman => PooledSpearman,
        EarlyStoppingMetric.MeanQuerySpearman => MeanQuerySpearman,
        EarlyStoppingMetric.Mrr => Mrr,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/>: strictly greater, and any number beats NaN.</summary>
    public static bool Improves(double value, double best) => !double.IsNaN(value) && (double.IsNaN(best) || value > best);

    public JsonObject ToJson() => new()
    {
        ["step"] = Step,
        ["pooled_spearman"] = Number(PooledSpearman),
        ["mean_query_spearman"] = Number(MeanQuerySpearman),
        ["mrr"] = Number(Mrr),
        ["pairs"] = Pairs,
        ["queries"] = Queries,
    };

    /// <summary>Reads what <see cref="ToJson"/> wrote (NaN is written as null).</summary>
    public static HeldOutMetrics FromJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        static double Read(JsonNode? value) => value is null ? double.NaN : value.GetValue<double>();
        return new HeldOutMetrics(
            node["step"]!.GetValue<long>(),
            Read(node["pooled_spearman"]),
            Read(node["mean_query_spearman"]),
            Read(node["mrr"]),
            node["pairs"]!.GetValue<int>(),
            node["queries"]!.GetValue<int>());
    }

    private static JsonNode? Number(double value) => double.IsNaN(value) ? null : JsonValue.Create(value);
}
