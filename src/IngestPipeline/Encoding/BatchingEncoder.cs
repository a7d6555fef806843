using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;

namespace Rerank.IngestPipeline.Encoding;

/// <summary>
/// Batches the passages of many concurrent writes into calls of one model (docs/write-path.md). Thread-safe;
/// <see cref="Dispose"/> stops taking texts and lets the loop finish what is queued. Does not own the encoder.
/// </summary>
/// <remarks>
/// 1. <see cref="EncodeAsync"/> reserves queue room for its texts in one step; texts beyond
///    <see cref="EncodingOptions.QueueCapacity"/> get <see cref="StaleReason.QueueFull"/> at once.
/// 2. One loop task (off the request threads) takes the first queued text, then more until the batch holds
///    <see cref="EncodingOptions.MaxBatch"/> or <see cref="EncodingOptions.MaxDelay"/> has passed since the first.
///    Texts whose writer stopped waiting (timeout, cancellation) are dropped from the batch unencoded.
/// 3. The model runs on the batch; if it throws, every text of that batch gets <see cref="StaleReason.ModelError"/>.
/// 4. The writer waits for all its texts while the model makes progress: it gives up (the texts not done get
///    <see cref="StaleReason.Timeout"/>) once no model call has started or finished for
///    <see cref="EncodingOptions.EncodeTimeout"/>, or after <see cref="EncodingOptions.MaxWait"/> in all. So a write
///    queued behind others on a busy but healthy model is encoded (measured: four clients of 500-document bulks left
///    thousands of documents stale when the timeout counted queueing; docs/write-path.md). While one model call has
///    been running longer than the timeout (a stuck model), new texts get <see cref="StaleReason.Timeout"/> at once.
///    Nothing here throws to the writer except its own cancellation.
/// </remarks>
internal sealed partial class BatchingEncoder : IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly EncodingOptions _options;
    private readonly IngestMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private int _queued;
    private int _disposed;
    private long _batchStarted;
    private long _lastProgress;

    public BatchingEncoder(IPassageEncoder encoder, EncodingOptions options, IngestMetrics metrics, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Encoder = encoder;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        Completion = Task.Run(LoopAsync);
    }

    public IPassageEncoder Encoder { get; }

    /// <summary>Completes when the loop has stopped (after <see cref="Dispose"/> and the queued texts).</summary>
    internal Task Completion { get; }

    /// <summary>Texts queued now, not yet taken into a batch (for tests of the bound).</summary>
    internal int Queued => Volatile.Read(ref _queued);

    /// <summary>The largest batch the model was called with so far (for tests of the bound).</summary>
    internal int LargestBatch { get; private set; }

    /// <summary>
    /// The vectors of <paramref name="texts"/> (input order), each either encoded or with a stale reason.
    /// Throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<EncodeOutcome[]> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var outcomes = new EncodeOutcome[texts.Count];
        if (texts.Count == 0)
        {
            return outcomes;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            Array.Fill(outcomes, EncodeOutcome.Stale(StaleReason.ModelNotLoaded));
            return outcomes;
        }

        // Step 4: a model call already past the timeout means nothing queued now would be done in time.
        var running = Volatile.Read(ref _batchStarted);
        if (running != 0 && _time.GetElapsedTime(running) > _options.EncodeTimeout)
        {
            Log.ModelStuck(_logger, Encoder.ModelId, texts.Count, _options.EncodeTimeout.TotalMilliseconds);
            Array.Fill(outcomes, EncodeOutcome.Stale(StaleReason.Timeout));
            return outcomes;
        }

        // Step 1: reserve room for as many texts as fit, in one step, so a request is never interleaved with itself.
        int accepted;
        while (true)
        {
            var queued = Volatile.Read(ref _queued);
            accepted = Math.Min(texts.Count, _options.QueueCapacity - queued);
            if (accepted <= 0)
            {
                accepted = 0;
                break;
            }

            if (Interlocked.CompareExchange(ref _queued, queued + accepted, queued) == queued)
            {
                break;
            }
        }

        if (accepted < texts.Count)
        {
            Log.QueueFull(_logger, Encoder.ModelId, texts.Count - accepted, _options.QueueCapacity);
            for (var i = accepted; i < texts.Count; i++)
            {
                outcomes[i] = EncodeOutcome.Stale(StaleReason.QueueFull);
            }
        }

        var pending = new Pending[accepted];
        for (var i = 0; i < accepted; i++)
        {
            pending[i] = new Pending(texts[i]);
            if (!_queue.Writer.TryWrite(pending[i]))
            {
                // Disposed meanwhile: the loop will not see it.
                Interlocked.Decrement(ref _queued);
                pending[i].Completion.TrySetResult(EncodeOutcome.Stale(StaleReason.ModelNotLoaded));
            }
        }

        if (accepted > 0)
        {
            // Step 4.
            var all = Task.WhenAll(pending.Select(p => p.Completion.Task));
            try
            {
                await WaitWhileProgressingAsync(all, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var late = 0;
                foreach (var item in pending)
                {
                    late += item.Completion.TrySetResult(EncodeOutcome.Stale(StaleReason.Timeout)) ? 1 : 0;
                }

                Log.EncodeTimedOut(_logger, Encoder.ModelId, late, _options.EncodeTimeout.TotalMilliseconds);
            }
            catch (OperationCanceledException)
            {
                foreach (var item in pending)
                {
                    item.Completion.TrySetCanceled(cancellationToken);
                }

                throw;
            }

            for (var i = 0; i < accepted; i++)
            {
                outcomes[i] = pending[i].Completion.Task.Result;
            }
        }

        return outcomes;
    }

    /// <summary>Step 4: waits for <paramref name="all"/>; throws <see cref="TimeoutException"/> when the model stalls or the cap passes.</summary>
    private async Task WaitWhileProgressingAsync(Task all, CancellationToken cancellationToken)
    {
        var waiting = _time.GetTimestamp();
        while (true)
        {
            var left = _options.MaxWait - _time.GetElapsedTime(waiting);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException();
            }

            try
            {
                await all.WaitAsync(left < _options.EncodeTimeout ? left : _options.EncodeTimeout, _time, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                var progress = Volatile.Read(ref _lastProgress);
                if (progress == 0 || _time.GetElapsedTime(progress) >= _options.EncodeTimeout)
                {
                    throw;
                }
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel first: the loop disposes the source once the queue is complete and drained.
        _stopping.Cancel();
        _queue.Writer.TryComplete();
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Step 2.
                batch.Clear();
                Take(reader, batch);
                if (batch.Count < _options.MaxBatch && _options.MaxDelay > TimeSpan.Zero && !_stopping.IsCancellationRequested)
                {
                    using var delay = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    using var timer = _time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), delay, _options.MaxDelay, Timeout.InfiniteTimeSpan);
                    while (batch.Count < _options.MaxBatch)
                    {
                        try
                        {
                            if (!await reader.WaitToReadAsync(delay.Token).ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }

                        Take(reader, batch);
                    }
                }

                Run(batch);
            }
        }
        catch (Exception exception)
        {
            // Unreachable by design (Run catches the model's exceptions); fail the queued texts rather than hang them.
            Log.LoopFailed(_logger, Encoder.ModelId, exception);
            while (reader.TryRead(out var item))
            {
                item.Completion.TrySetResult(EncodeOutcome.Stale(StaleReason.ModelError));
            }
        }
        finally
        {
            if (reader.Completion.IsCompleted)
            {
                _stopping.Dispose();
            }
        }
    }

    private void Take(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < _options.MaxBatch && reader.TryRead(out var item))
        {
            Interlocked.Decrement(ref _queued);
            if (!item.Completion.Task.IsCompleted)
            {
                batch.Add(item);
            }
        }
    }

    private void Run(List<Pending> batch)
    {
        // Drop texts whose writer gave up while the batch filled.
        batch.RemoveAll(item => item.Completion.Task.IsCompleted);
        if (batch.Count == 0)
        {
            return;
        }

        LargestBatch = Math.Max(LargestBatch, batch.Count);
        var texts = new string[batch.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = batch[i].Text;
        }

        var started = _time.GetTimestamp();
        Volatile.Write(ref _batchStarted, started == 0 ? 1 : started);
        Volatile.Write(ref _lastProgress, started == 0 ? 1 : started);
        try
        {
            var encoding = Encoder.Encode(texts, CancellationToken.None);
            if (encoding.Count != texts.Length)
            {
                throw new InvalidOperationException($"the encoder returned {encoding.Count} vectors for {texts.Length} texts");
            }

            var elapsed = _time.GetElapsedTime(started);
            _metrics.Batch(texts.Length, elapsed);
            _metrics.Encoded(texts.Length);
            Log.BatchEncoded(_logger, Encoder.ModelId, texts.Length, elapsed.TotalMilliseconds);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(EncodeOutcome.Encoded(encoding, i));
            }
        }
        catch (Exception exception)
        {
            // Step 3: the documents are still written, stale; the model's failure is the operator's to see.
            Log.ModelFailed(_logger, Encoder.ModelId, texts.Length, exception);
            foreach (var item in batch)
            {
                item.Completion.TrySetResult(EncodeOutcome.Stale(StaleReason.ModelError));
            }
        }
        finally
        {
            Volatile.Write(ref _batchStarted, 0);
            var finished = _time.GetTimestamp();
            Volatile.Write(ref _lastProgress, finished == 0 ? 1 : finished);
        }
    }

    private sealed class Pending(string text)
    {
        public string Text { get; } = text;

        public TaskCompletionSource<EncodeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
