using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Bulk;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.IngestPipeline.Writes;

/// <summary>
/// Adds passage vectors to writes of enabled indices on their way to the cluster (docs/write-path.md): streamed
/// <c>_bulk</c> bodies and single <c>_doc</c>/<c>_create</c>/<c>_update</c> bodies. Everything else passes byte for
/// byte. A write is never refused or dropped for the model's sake: when encoding fails the document goes on without
/// vectors and with a stale mark. Thread-safe; one per host. Owns one <see cref="BatchingEncoder"/> per model id
/// (disposed with it); does not own the config or encoder sources.
/// </summary>
public sealed partial class WritePipeline : IDisposable
{
    private readonly IEncoderSource _encoders;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, BatchingEncoder> _batchers = new(StringComparer.Ordinal);
    private readonly Lock _batchersLock = new();
    private bool _disposed;

    public WritePipeline(
        IIndexConfigSource configs, IEncoderSource encoders, EncodingOptions options, ILoggerFactory loggerFactory, IngestMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(encoders);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        Configs = configs;
        _encoders = encoders;
        Options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<WritePipeline>();
        Metrics = metrics;
        _time = time;
    }

    public EncodingOptions Options { get; }

    internal IIndexConfigSource Configs { get; }

    internal IngestMetrics Metrics { get; }

    /// <summary>
    /// Copies a <c>_bulk</c> NDJSON body from <paramref name="input"/> to <paramref name="output"/>, adding vectors to
    /// the items of enabled indices, a window at a time (the whole body is never held).
    /// </summary>
    /// <param name="input">The request body; read to its end, not disposed.</param>
    /// <param name="output">Where the rewritten body goes; flushed after each window, not disposed or completed.</param>
    /// <param name="pathIndex">The index of <c>/{index}/_bulk</c>, used by items without <c>_index</c>; null for <c>/_bulk</c>.</param>
    /// <param name="authorization">The caller's <c>Authorization</c> header for config lookups; null when none.</param>
    /// <param name="cancellationToken">The client's request: stops reading, waiting and writing.</param>
    /// <exception cref="RerankConfigException">A target index has an invalid <c>_meta.rerank</c>.</exception>
    public async Task<BulkRewriteSummary> RewriteBulkAsync(
        Stream input, Stream output, string? pathIndex, string? authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var summary = await new BulkRewriter(this, pathIndex, authorization).RunAsync(input, output, cancellationToken).ConfigureAwait(false);
        Log.BulkRewritten(_logger, summary.Items, summary.Rewritten, summary.Encoded, summary.Stale, summary.Untouched);
        return summary;
    }

    /// <summary>
    /// The body of a single-document write with the vectors added, or null when it is forwarded unchanged (not an
    /// enabled index, not a JSON object, or nothing in it concerns the passage text).
    /// </summary>
    /// <exception cref="RerankConfigException"><paramref name="index"/> has an invalid <c>_meta.rerank</c>.</exception>
    public async Task<byte[]?> RewriteDocumentAsync(
        DocumentWriteKind kind, string index, ReadOnlyMemory<byte> body, string? authorization, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(index);
        var config = await Configs.GetAsync(index, authorization, cancellationToken).ConfigureAwait(false);
        var write = config is { Enabled: true } ? DocumentEditor.Prepare(kind, body.Span, config, Metrics) : null;
        if (write is null)
        {
            Metrics.PassedThrough();
            return null;
        }

        await EncodeAsync(write.Targets, cancellationToken).ConfigureAwait(false);
        DocumentEditor.Apply(write, Metrics);
        return DocumentEditor.Serialize(write.Root, []);
    }

    public void Dispose()
    {
        lock (_batchersLock)
        {
            _disposed = true;
            foreach (var batcher in _batchers.Values)
            {
                batcher.Dispose();
            }

            _batchers.Clear();
        }
    }

    /// <summary>Sets every target's outcome: all texts of one model are submitted to its batcher together.</summary>
    internal async Task EncodeAsync(List<VectorTarget> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var groups = targets.GroupBy(t => t.Config.ModelId, StringComparer.Ordinal).Select(async group =>
        {
            var members = group.ToList();
            var batcher = Batcher(group.Key);
            if (batcher is null)
            {
                Log.ModelNotLoaded(_logger, group.Key, members.Count);
                foreach (var target in members)
                {
                    target.Outcome = EncodeOutcome.Stale(StaleReason.ModelNotLoaded);
                }

                return;
            }

            var outcomes = await batcher.EncodeAsync(members.ConvertAll(t => t.Text), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < members.Count; i++)
            {
                members[i].Outcome = outcomes[i];
            }
        });
        await Task.WhenAll(groups).ConfigureAwait(false);
    }

    internal void RestPassedThrough(bool lineTooLong)
    {
        if (lineTooLong)
        {
            Log.LineTooLong(_logger, Options.MaxLineBytes);
        }
        else
        {
            Log.MalformedAction(_logger);
        }
    }

    /// <summary>
    /// The batcher of <paramref name="modelId"/>'s currently loaded encoder; a reloaded model (a new encoder instance)
    /// gets a new batcher and the old one finishes what it has queued.
    /// </summary>
    private BatchingEncoder? Batcher(string modelId)
    {
        var encoder = _encoders.Find(modelId);
        if (encoder is null)
        {
            return null;
        }

        if (_batchers.TryGetValue(modelId, out var batcher) && ReferenceEquals(batcher.Encoder, encoder))
        {
            return batcher;
        }

        lock (_batchersLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_batchers.TryGetValue(modelId, out batcher) && ReferenceEquals(batcher.Encoder, encoder))
            {
                return batcher;
            }

            var created = new BatchingEncoder(encoder, Options, Metrics, _loggerFactory.CreateLogger<BatchingEncoder>(), _time);
            _batchers[modelId] = created;
            batcher?.Dispose();
            return created;
        }
    }
}
