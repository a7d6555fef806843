using Microsoft.Extensions.Logging.Abstractions;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Tests.Writes;

namespace Rerank.IngestPipeline.Tests.Encoding;

/// <summary><see cref="BatchingEncoder"/>: batch and queue bounds, outcomes per text, cancellation, disposal.</summary>
public sealed class BatchingEncoderTests(TinyModel tiny) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task EncodeAsync_ManyTexts_NoBatchAboveMaxBatchAndEveryTextEncodedInOrder()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model));
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 8, MaxDelay = TimeSpan.FromMilliseconds(20) });
        var texts = Enumerable.Range(0, 100).Select(i => $"text {i}").ToArray();

        var outcomes = await batcher.EncodeAsync(texts, TestContext.Current.CancellationToken);

        Assert.All(encoder.BatchSizes, size => Assert.InRange(size, 1, 8));
        Assert.Equal(100, encoder.Texts);
        Assert.True(encoder.BatchSizes.Count >= 13);
        var reference = tiny.Model.EncodePassages([texts[57]], TestContext.Current.CancellationToken).Projection(0).ToArray();
        var actual = outcomes[57].Projection.ToArray();
        Assert.All(Enumerable.Range(0, reference.Length), i => Assert.True(Math.Abs(actual[i] - reference[i]) <= 1e-5));
        Assert.Equal(100, _meters.Sum("rerank.ingest.documents.encoded"));
    }

    [Fact]
    public async Task EncodeAsync_QueueHoldsCapacity_TextsBeyondItQueueFullAtOnce()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { BlockFromCall = 1 };
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, QueueCapacity = 2 });
        var ct = TestContext.Current.CancellationToken;
        var first = batcher.EncodeAsync(["a"], ct);
        Assert.True(await encoder.Blocked.WaitAsync(TimeSpan.FromSeconds(10), ct));

        // The model is busy with "a": the queue takes two more texts, the third is refused without waiting.
        var second = batcher.EncodeAsync(["b", "c", "d"], ct);
        Assert.Equal(2, batcher.Queued);
        encoder.Release();
        var outcomes = await second;

        Assert.True((await first)[0].Succeeded);
        Assert.True(outcomes[0].Succeeded);
        Assert.True(outcomes[1].Succeeded);
        Assert.Equal(StaleReason.QueueFull, outcomes[2].StaleReason);
        Assert.Equal([1, 1, 1], encoder.BatchSizes);
    }

    [Fact]
    public async Task EncodeAsync_ModelBlocksPastTimeout_TimeoutAndLateTextsNotEncoded()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { BlockFromCall = 1 };
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, EncodeTimeout = TimeSpan.FromMilliseconds(500) });
        var ct = TestContext.Current.CancellationToken;

        var task = batcher.EncodeAsync(["a", "b", "c"], ct);
        Assert.True(await encoder.Blocked.WaitAsync(TimeSpan.FromSeconds(10), ct));
        var outcomes = await task;
        encoder.Release();
        batcher.Dispose();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.All(outcomes, o => Assert.Equal(StaleReason.Timeout, o.StaleReason));
        // "b" and "c" were given up while queued: the model never sees them.
        Assert.Equal([1], encoder.BatchSizes);
    }

    [Fact]
    public async Task EncodeAsync_ModelStuckPastTimeout_LaterWritesTimeoutWithoutQueueing()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { BlockFromCall = 1 };
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, EncodeTimeout = TimeSpan.FromMilliseconds(500) });
        var ct = TestContext.Current.CancellationToken;
        var first = batcher.EncodeAsync(["a"], ct);
        Assert.True(await encoder.Blocked.WaitAsync(TimeSpan.FromSeconds(10), ct));
        Assert.Equal(StaleReason.Timeout, (await first)[0].StaleReason);
        // The call on "a" started before Blocked was signalled: after this it has run longer than the timeout.
        await Task.Delay(TimeSpan.FromMilliseconds(600), ct);

        // The model is still on "a", past the timeout: a new write is answered at once, nothing is queued.
        var task = batcher.EncodeAsync(["b", "c"], ct);
        Assert.True(task.IsCompleted);
        var outcomes = await task;
        Assert.Equal(0, batcher.Queued);
        encoder.Release();

        Assert.All(outcomes, o => Assert.Equal(StaleReason.Timeout, o.StaleReason));
        batcher.Dispose();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal([1], encoder.BatchSizes);
    }

    [Fact]
    public async Task EncodeAsync_Cancelled_ThrowsAndQueuedTextsSkipped()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { BlockFromCall = 1 };
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero });
        using var cancel = new CancellationTokenSource();
        var task = batcher.EncodeAsync(["a", "b"], cancel.Token);
        Assert.True(await encoder.Blocked.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        encoder.Release();
        batcher.Dispose();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal([1], encoder.BatchSizes);
    }

    [Fact]
    public async Task EncodeAsync_ModelThrows_ModelErrorForThatBatchOnly()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { ThrowOnCall = 1 };
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 2, MaxDelay = TimeSpan.FromSeconds(10) });

        var outcomes = await batcher.EncodeAsync(["a", "b", "c", "d"], TestContext.Current.CancellationToken);

        Assert.Equal([StaleReason.ModelError, StaleReason.ModelError, null, null], outcomes.Select(o => o.StaleReason));
    }

    [Fact]
    public async Task Dispose_StopsLoopAndLaterTextsModelNotLoaded()
    {
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model));
        var batcher = Create(encoder, new EncodingOptions());

        batcher.Dispose();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var outcomes = await batcher.EncodeAsync(["a"], TestContext.Current.CancellationToken);

        Assert.Equal(StaleReason.ModelNotLoaded, outcomes[0].StaleReason);
        Assert.Equal(0, encoder.Calls);
    }

    [Fact]
    public void Validate_EveryBadValue_ReportedAtOnce()
    {
        var options = new EncodingOptions { MaxBatch = 0, MaxDelay = TimeSpan.FromSeconds(-1), QueueCapacity = 0, EncodeTimeout = TimeSpan.Zero };

        var exception = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("[MaxBatch] must be at least 1, got [0]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[MaxDelay] must not be negative", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[QueueCapacity] must be at least 1, got [0]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[EncodeTimeout] must be positive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncodeAsync_QueuedBehindAWorkingModelLongerThanTheTimeout_IsEncoded()
    {
        // 40 one-text calls of at least 50 ms each: over 2 s in all, twice the timeout, but the model never stalls.
        var encoder = new SlowEncoder(new StudentPassageEncoder(tiny.Model), TimeSpan.FromMilliseconds(50));
        using var batcher = Create(encoder, new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, EncodeTimeout = TimeSpan.FromSeconds(1) });
        var texts = Enumerable.Range(0, 40).Select(i => $"text {i}").ToArray();

        var outcomes = await batcher.EncodeAsync(texts, TestContext.Current.CancellationToken);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.StaleReason));
        Assert.Equal(40, encoder.Calls);
    }

    [Fact]
    public async Task EncodeAsync_WorkingModelPastMaxWait_RestAreTimeoutAndNotEncoded()
    {
        var encoder = new SlowEncoder(new StudentPassageEncoder(tiny.Model), TimeSpan.FromMilliseconds(50));
        var options = new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, EncodeTimeout = TimeSpan.FromMilliseconds(200), MaxWait = TimeSpan.FromMilliseconds(400) };
        using var batcher = Create(encoder, options);
        var texts = Enumerable.Range(0, 40).Select(i => $"text {i}").ToArray();

        var outcomes = await batcher.EncodeAsync(texts, TestContext.Current.CancellationToken);
        batcher.Dispose();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // 40 calls need at least 2 s; the write gave up at 400 ms, so the last texts are timeout and never reach the model.
        Assert.Equal(StaleReason.Timeout, outcomes[^1].StaleReason);
        Assert.InRange(encoder.Calls, 1, 39);
        Assert.Equal(outcomes.Count(o => o.Succeeded), encoder.Calls - (outcomes[encoder.Calls - 1].Succeeded ? 0 : 1));
    }

    [Fact]
    public void Validate_MaxWaitBelowTheTimeout_IsRefused()
    {
        var options = new EncodingOptions { EncodeTimeout = TimeSpan.FromSeconds(10), MaxWait = TimeSpan.FromSeconds(5) };

        var exception = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("[MaxWait] must be at least [EncodeTimeout]", exception.Message, StringComparison.Ordinal);
    }

    private sealed class SlowEncoder(IPassageEncoder inner, TimeSpan perCall) : IPassageEncoder
    {
        private int _calls;

        public string ModelId => inner.ModelId;

        public int Dim => inner.Dim;

        public int ProjectionDim => inner.ProjectionDim;

        public int Calls => Volatile.Read(ref _calls);

        public Rerank.Model.Runtime.PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Thread.Sleep(perCall);
            return inner.Encode(texts, cancellationToken);
        }
    }

    private BatchingEncoder Create(IPassageEncoder encoder, EncodingOptions options) =>
        new(encoder, options, new IngestMetrics(_meters), NullLogger.Instance, TimeProvider.System);
}
