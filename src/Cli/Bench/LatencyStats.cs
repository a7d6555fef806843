namespace Rerank.Cli.Bench;

/// <summary>Throughput and latency percentiles of one measured series.</summary>
/// <param name="Operations">Operations completed.</param>
/// <param name="Elapsed">Wall-clock time of the whole series.</param>
/// <param name="LatenciesMs">Each operation's latency in milliseconds (any order).</param>
internal sealed record LatencyStats(int Operations, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    /// <summary>The nearest-rank percentile: the smallest latency with at least <paramref name="fraction"/> of them at or below it.</summary>
    public double Percentile(double fraction)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
