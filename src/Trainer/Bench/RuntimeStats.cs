namespace Rerank.Trainer.Bench;

/// <summary>Per-query times of one system in milliseconds: the median (mean of the middle two for an even count) and the mean.</summary>
internal sealed record RuntimeStats(double P50Ms, double MeanMs)
{
    public static RuntimeStats Of(IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            throw new ArgumentException("No times were measured.", nameof(milliseconds));
        }

        var sorted = milliseconds.Order().ToArray();
        var middle = sorted.Length / 2;
        var p50 = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new RuntimeStats(p50, sorted.Average());
    }
}
