using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank.Sidecar.Tests;

/// <summary>A meter factory of its own per test, so <c>MetricCollector</c> sees only that test's instruments.</summary>
internal sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();
}
