using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.Model.Runtime;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.Tests.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private static readonly string[] Passages = ["a cat sat on the mat", "gluons bind quarks", ""];

    private readonly TempDirectory _temp = new();
    private readonly TestMeters _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        _temp.Dispose();
    }

    private ModelRegistry Registry(string modelsDirectory, TimeSpan? poll = null) => new(
        new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200"), ModelsDirectory = modelsDirectory, ModelPollInterval = poll ?? TimeSpan.FromHours(1) },
        new SidecarMetrics(_meters.Factory),
        TimeProvider.System,
        NullLoggerFactory.Instance);

    private static PassageEncoding Independently(string directory)
    {
        using var model = StudentModel.Load(directory, new StudentModelOptions { PreferGpu = false });
        return model.EncodePassages(Passages);
    }

    [Fact]
    public async Task StartAsync_OneBundlePerSubdirectory_FindsEachByModelId_AndEncodesAsTheModelDoes()
    {
        var a = TinyBundles.Write(Path.Combine(_temp.Path, "a"), seed: 1);
        var b = TinyBundles.Write(Path.Combine(_temp.Path, "b"), seed: 2);
        Directory.CreateDirectory(Path.Combine(_temp.Path, "not-a-bundle"));
        await using var registry = Registry(_temp.Path);

        await registry.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(a, b);
        var encoder = registry.Find(b);
        Assert.NotNull(encoder);
        Assert.Equal(b, encoder.ModelId);
        Assert.Equal(16, encoder.Dim);
        var expected = Independently(Path.Combine(_temp.Path, "b"));
        var actual = encoder.Encode(Passages, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Embeddings, actual.Embeddings);
        Assert.Equal(expected.Projections, actual.Projections);
        // One encoder per id: the write path keeps one batching queue per encoder instance.
        Assert.Same(encoder, registry.Find(b));
        Assert.NotNull(registry.Find(a));
        Assert.Null(registry.Find("no-such-model"));
        Assert.Equal(2, registry.Status.Count);
        Assert.All(registry.Status, s => Assert.Null(s.Error));
    }

    [Fact]
    public async Task StartAsync_DirectoryIsItselfABundle_LoadsIt()
    {
        var id = TinyBundles.Write(_temp.Path, seed: 3);
        await using var registry = Registry(_temp.Path);

        await registry.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(id, registry.Find(id)?.ModelId);
    }

    [Fact]
    public async Task ScanAsync_ChangedBundle_SwapsIn_AndTheOldOneIsDisposedOnlyWhenItsLastCallEnds()
    {
        var directory = Path.Combine(_temp.Path, "m");
        var oldId = TinyBundles.Write(directory, seed: 1);
        await using var registry = Registry(_temp.Path);
        using var reloads = new MetricCollector<long>(_meters.Factory, SidecarMetrics.MeterName, SidecarMetrics.ModelReloadsName);
        var cancellation = TestContext.Current.CancellationToken;
        await registry.StartAsync(cancellation);
        var oldHandle = registry.Find(oldId)!;
        var inFlight = registry.Acquire(oldId)!; // a call that is using the old model

        Directory.Delete(directory, recursive: true);
        var newId = TinyBundles.Write(directory, seed: 9);
        await registry.ScanAsync(cancellation);

        Assert.NotEqual(oldId, newId);
        Assert.Null(registry.Find(oldId));
        Assert.Equal(newId, registry.Find(newId)?.ModelId);
        Assert.False(inFlight.IsDisposed);
        Assert.Equal(16, inFlight.Model.EncodePassages(Passages, cancellation).Dim); // still usable
        inFlight.Release();
        Assert.True(inFlight.IsDisposed);
        Assert.Throws<InvalidOperationException>(() => oldHandle.Encode(Passages, cancellation));
        Assert.Equal(["loaded", "loaded"], reloads.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));
    }

    [Fact]
    public async Task ScanAsync_BadBundle_KeepsTheLastGoodOne_AndShowsWhy()
    {
        var directory = Path.Combine(_temp.Path, "m");
        var id = TinyBundles.Write(directory, seed: 1);
        await using var registry = Registry(_temp.Path);
        using var reloads = new MetricCollector<long>(_meters.Factory, SidecarMetrics.MeterName, SidecarMetrics.ModelReloadsName);
        var cancellation = TestContext.Current.CancellationToken;
        await registry.StartAsync(cancellation);

        File.WriteAllText(Path.Combine(directory, "manifest.json"), "{ this is not json");
        await registry.ScanAsync(cancellation);

        var encoder = registry.Find(id);
        Assert.NotNull(encoder);
        Assert.Equal(Independently(CopyOfGood(seed: 1)).Projections, encoder.Encode(Passages, cancellation).Projections);
        var status = Assert.Single(registry.Status);
        Assert.Equal(id, status.ModelId);
        Assert.NotNull(status.Error);
        Assert.Contains("manifest.json", status.Error, StringComparison.Ordinal);
        Assert.Equal(["loaded", "failed"], reloads.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));

        // Unchanged since the failure: not tried again.
        await registry.ScanAsync(cancellation);
        Assert.Equal(2, reloads.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task StartAsync_BadBundleWithNoLastGood_ServesNothingFromIt_AndShowsWhy()
    {
        TinyBundles.Write(Path.Combine(_temp.Path, "good"), seed: 1);
        _temp.WriteFile(Path.Combine("bad", "manifest.json"), """{"formatVersion": 1}""");
        await using var registry = Registry(_temp.Path);

        await registry.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, registry.Status.Count);
        var bad = registry.Status.Single(s => s.Directory.EndsWith("bad", StringComparison.Ordinal));
        Assert.Null(bad.ModelId);
        Assert.False(string.IsNullOrEmpty(bad.Error));
        Assert.NotNull(registry.Status.Single(s => s.Directory.EndsWith("good", StringComparison.Ordinal)).ModelId);
    }

    [Fact]
    public async Task ScanAsync_RemovedDirectory_UnloadsItsModel()
    {
        var directory = Path.Combine(_temp.Path, "m");
        var id = TinyBundles.Write(directory, seed: 1);
        await using var registry = Registry(_temp.Path);
        var cancellation = TestContext.Current.CancellationToken;
        await registry.StartAsync(cancellation);
        var lease = registry.Acquire(id)!;
        lease.Release();

        Directory.Delete(directory, recursive: true);
        await registry.ScanAsync(cancellation);

        Assert.Null(registry.Find(id));
        Assert.Empty(registry.Status);
        Assert.True(lease.IsDisposed);
    }

    [Fact]
    public async Task ScanAsync_SameModelInTwoDirectories_ServesItOnce_AndRefusesTheSecond()
    {
        var id = TinyBundles.Write(Path.Combine(_temp.Path, "a"), seed: 4);
        TinyBundles.Write(Path.Combine(_temp.Path, "b"), seed: 4);
        await using var registry = Registry(_temp.Path);

        await registry.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(registry.Find(id));
        var second = registry.Status.Single(s => s.Directory.EndsWith("b", StringComparison.Ordinal));
        Assert.Null(second.ModelId);
        Assert.Contains($"model id [{id}] is already served from", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Polls_PicksUpANewBundleWithoutBeingAsked()
    {
        await using var registry = Registry(_temp.Path, poll: TimeSpan.FromMilliseconds(100));
        var cancellation = TestContext.Current.CancellationToken;
        await registry.StartAsync(cancellation);

        var id = TinyBundles.Write(Path.Combine(_temp.Path, "late"), seed: 5);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (registry.Find(id) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellation);
        }

        Assert.NotNull(registry.Find(id));
    }

    private string CopyOfGood(int seed)
    {
        var copy = Path.Combine(_temp.Path, "..", Guid.NewGuid().ToString("N"));
        TinyBundles.Write(copy, seed);
        return copy;
    }
}
