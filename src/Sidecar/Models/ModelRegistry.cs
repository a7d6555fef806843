using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Models;

/// <summary>
/// The model bundles under <see cref="SidecarOptions.ModelsDirectory"/>, loaded once each and shared by every request,
/// keyed by model id; reloaded when a bundle directory changes (docs/sidecar.md, "Models").
/// </summary>
/// <remarks>
/// A scan (at start, then every <see cref="SidecarOptions.ModelPollInterval"/> in the background):
/// 1. The bundle directories are the models directory itself when it holds a <c>manifest.json</c>, else each of its
///    subdirectories that holds one (in ordinal order).
/// 2. Each has a fingerprint (every file's relative name, size and last write time); an unchanged one is skipped.
/// 3. A changed one is loaded; once loaded it replaces the directory's previous model, which is released and disposed
///    when the last call using it returns (<see cref="LoadedModel"/>). A load that fails keeps the previous model and
///    records the error (log, metric, health) until the directory changes again. A model id already served by another
///    directory is refused the same way.
/// 4. A directory that is gone (or lost its manifest) is unloaded.
/// Scans run one at a time; <see cref="Find"/> reads an immutable snapshot and never waits for a scan. Thread-safe.
/// </remarks>
internal sealed partial class ModelRegistry : IEncoderSource, IAsyncDisposable
{
    private readonly Dictionary<string, DirectoryState> _directories = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SidecarOptions _options;
    private readonly SidecarMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, StudentModel> _load;
    private volatile FrozenDictionary<string, LoadedModel> _byId = FrozenDictionary<string, LoadedModel>.Empty;

    // One handle per model id, so a caller sees the same encoder for as long as the id is served: the write path keys
    // its batching queue on it, and a new handle per call once made every write replace (and close) the queue that
    // concurrent writes were waiting on, which marked their documents model_not_loaded.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ModelHandle> _handles = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<ModelStatus> _status = [];
    private Task? _polling;
    private int _disposed;

    public ModelRegistry(SidecarOptions options, SidecarMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = loggerFactory.CreateLogger<ModelRegistry>();
        var modelLogger = loggerFactory.CreateLogger<StudentModel>();
        _load = directory => StudentModel.Load(directory, logger: modelLogger);
    }

    /// <summary>Every bundle directory seen by the last scan, with its model and last error.</summary>
    public IReadOnlyList<ModelStatus> Status => _status;

    public IPassageEncoder? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return _byId.TryGetValue(modelId, out var model)
            ? _handles.GetOrAdd(model.ModelId, static (id, m) => new ModelHandle(m.Registry, id, m.Model.Dim, m.Model.ProjectionDim), (Registry: this, Model: model))
            : null;
    }

    /// <summary>Leases the model now loaded under <paramref name="modelId"/>; the caller releases it. Null when none is.</summary>
    internal LoadedModel? Acquire(string modelId)
    {
        while (_byId.TryGetValue(modelId, out var model))
        {
            if (model.TryAcquire())
            {
                return model;
            }

            // Retired between the lookup and the lease: the snapshot has moved on, so look again.
            if (_byId.TryGetValue(modelId, out var now) && ReferenceEquals(now, model))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Loads what is there now, then polls in the background until disposed. No-op without a models directory.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.ModelsDirectory is null)
        {
            return;
        }

        await ScanAsync(cancellationToken).ConfigureAwait(false);
        _polling = PollAsync(_stopping.Token);
    }

    /// <summary>One scan (see remarks). Runs the loads on the calling thread: tests call it directly.</summary>
    internal async Task ScanAsync(CancellationToken cancellationToken)
    {
        if (_options.ModelsDirectory is not { } root)
        {
            return;
        }

        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var directory in BundleDirectories(root))
            {
                cancellationToken.ThrowIfCancellationRequested();
                seen.Add(directory);
                Refresh(directory);
            }

            foreach (var gone in _directories.Keys.Where(d => !seen.Contains(d)).ToList())
            {
                var state = _directories[gone];
                _directories.Remove(gone);
                Publish();
                if (state.Current is { } current)
                {
                    current.Release();
                    _metrics.ModelReload("unloaded");
                    Log.Unloaded(_logger, gone, current.ModelId);
                }
            }

            Publish();
        }
        finally
        {
            _scanLock.Release();
        }
    }

    private void Refresh(string directory)
    {
        if (!_directories.TryGetValue(directory, out var state))
        {
            state = new DirectoryState();
            _directories[directory] = state;
        }

        string fingerprint;
        try
        {
            fingerprint = Fingerprint(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Being replaced while we look: the next scan sees the settled state.
            return;
        }

        if (fingerprint == state.Fingerprint)
        {
            return;
        }

        state.Fingerprint = fingerprint;
        var started = _time.GetTimestamp();
        StudentModel model;
        try
        {
            model = _load(directory);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bad bundle can fail anywhere (manifest, tokenizer, ONNX graph); whatever it is, the last good one stays.
            Fail(directory, state, exception.Message, started, exception);
            return;
        }

        var owner = _directories.FirstOrDefault(d => d.Key != directory && d.Value.Current?.ModelId == model.ModelId).Key;
        if (owner is not null)
        {
            model.Dispose();
            Fail(directory, state, $"model id [{model.ModelId}] is already served from [{owner}]", started, null);
            return;
        }

        var previous = state.Current;
        state.Current = new LoadedModel(model, directory);
        state.Error = null;
        Publish();
        previous?.Release();
        _metrics.ModelReload("loaded", _time.GetElapsedTime(started));
        Log.Loaded(_logger, directory, model.ModelId, previous?.ModelId);
    }

    private void Fail(string directory, DirectoryState state, string error, long started, Exception? exception)
    {
        state.Error = error;
        _metrics.ModelReload("failed", _time.GetElapsedTime(started));
        Log.LoadFailed(_logger, directory, state.Current?.ModelId ?? "none", error, exception);
    }

    private void Publish()
    {
        _byId = _directories.Values
            .Where(s => s.Current is not null)
            .ToFrozenDictionary(s => s.Current!.ModelId, s => s.Current!, StringComparer.Ordinal);
        foreach (var id in _handles.Keys.Where(id => !_byId.ContainsKey(id)))
        {
            _handles.TryRemove(id, out _);
        }

        _status = [.. _directories.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new ModelStatus(d.Key, d.Value.Current?.ModelId, d.Value.Error))];
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ModelPollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ScanAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    Log.ScanFailed(_logger, _options.ModelsDirectory!, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    internal static IEnumerable<string> BundleDirectories(string root)
    {
        if (File.Exists(Path.Combine(root, ModelManifest.FileName)))
        {
            return [Path.GetFullPath(root)];
        }

        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, ModelManifest.FileName)))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    internal static string Fingerprint(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            text.Append(Path.GetRelativePath(directory, file.FullName)).Append('|')
                .Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append('|')
                .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Stops polling and releases every model (each is disposed when its last call returns). Idempotent: the
    /// container disposes the registry once as itself and once as <see cref="IEncoderSource"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_polling is not null)
        {
            await _polling.ConfigureAwait(false);
        }

        await _scanLock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var state in _directories.Values)
            {
                state.Current?.Release();
                state.Current = null;
            }

            _directories.Clear();
            _byId = FrozenDictionary<string, LoadedModel>.Empty;
        }
        finally
        {
            _scanLock.Release();
        }

        _stopping.Dispose();
    }

    private sealed class DirectoryState
    {
        public string? Fingerprint { get; set; }

        public LoadedModel? Current { get; set; }

        public string? Error { get; set; }
    }
}
