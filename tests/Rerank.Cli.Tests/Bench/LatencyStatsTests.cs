using Rerank.Cli.Bench;

namespace Rerank.Cli.Tests.Bench;

public sealed class LatencyStatsTests
{
    // Nearest rank over 1..100 ms: p50 is the 50th value, p99 the 99th; 200 operations in 4 s is 50/s.
    [Fact]
    public void Percentiles_NearestRank_OverAHundredLatencies()
    {
        var latencies = Enumerable.Range(1, 100).Select(i => (double)(101 - i)).ToList();

        var stats = new LatencyStats(200, TimeSpan.FromSeconds(4), latencies);

        Assert.Equal(50.0, stats.P50Ms);
        Assert.Equal(99.0, stats.P99Ms);
        Assert.Equal(50.0, stats.PerSecond);
    }

    [Fact]
    public void Percentiles_SmallSeries_TakeTheNearestRank()
    {
        var stats = new LatencyStats(3, TimeSpan.FromSeconds(1), [3.0, 1.0, 2.0]);

        // ceil(0.5 * 3) = 2nd smallest; ceil(0.99 * 3) = 3rd.
        Assert.Equal(2.0, stats.P50Ms);
        Assert.Equal(3.0, stats.P99Ms);
    }
}
