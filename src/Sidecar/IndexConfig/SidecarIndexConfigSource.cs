using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// Learns an index's <c>_meta.rerank</c> from <c>GET /{index}/_mapping</c> on the upstream, with the caller's
/// <c>Authorization</c> header and nothing else, and caches the answer per index name (docs/sidecar.md, "Index config").
/// </summary>
/// <remarks>
/// <para>1. A cached definite answer younger than the TTL is returned (hit).</para>
/// <para>2. Otherwise one lookup per name runs at a time (single flight); concurrent callers wait for it. The lookup has
/// its own timeout and is not cancelled by one waiter leaving.</para>
/// <para>3. Answers: 200 with one index, its config (null when it has none or <c>enabled: false</c>); several indices
/// (an alias or pattern), the config when all are equal, else <see cref="RerankConfigException"/>; 404, null. These are
/// cached, invalid configs included. 401, 403, other statuses and failures give null, a warning and a metric, and are
/// not cached.</para>
/// <para>4. <see cref="Invalidate"/> drops every entry and bumps a generation, so a lookup that began before a mapping
/// change is not cached after it.</para>
/// Thread-safe.
/// </remarks>
internal sealed partial class SidecarIndexConfigSource : IIndexConfigSource
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly UpstreamClient _upstream;
    private readonly SidecarOptions _options;
    private readonly SidecarMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _generation;

    public SidecarIndexConfigSource(UpstreamClient upstream, SidecarOptions options, SidecarMetrics metrics, TimeProvider time, ILogger<SidecarIndexConfigSource> logger)
    {
        _upstream = upstream;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<RerankIndexConfig?> GetAsync(string index, string? authorization, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(index);
        while (true)
        {
            var generation = Interlocked.Read(ref _generation);
            if (_entries.TryGetValue(index, out var entry))
            {
                if (!entry.Task.IsCompleted)
                {
                    _metrics.ConfigLookup("miss");
                    return Unwrap(await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
                }

                if (entry.Generation == generation && _time.GetUtcNow() < entry.ExpiresAt)
                {
                    _metrics.ConfigLookup("hit");
                    return Unwrap(entry.Task.Result);
                }

                _entries.TryRemove(new KeyValuePair<string, Entry>(index, entry));
                continue;
            }

            var fresh = new Entry(generation);
            if (!_entries.TryAdd(index, fresh))
            {
                continue;
            }

            IndexConfigOutcome outcome;
            try
            {
                outcome = await FetchAsync(index, authorization).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Never leave waiters on an entry that will not complete.
                _entries.TryRemove(new KeyValuePair<string, Entry>(index, fresh));
                fresh.Fail(exception);
                throw;
            }

            if (outcome.Cacheable && _options.IndexConfigTtl > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation)
            {
                fresh.ExpiresAt = _time.GetUtcNow() + _options.IndexConfigTtl;
            }
            else
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(index, fresh));
            }

            fresh.Complete(outcome);
            _metrics.ConfigLookup(outcome.Cacheable ? "miss" : "failed");
            cancellationToken.ThrowIfCancellationRequested();
            return Unwrap(outcome);
        }
    }

    /// <summary>Forgets every cached answer (a request that can change mappings, aliases or indices passed through).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _metrics.ConfigInvalidated();
    }

    private static RerankIndexConfig? Unwrap(IndexConfigOutcome outcome) =>
        outcome.Error is { } error ? throw error : outcome.Config;

    private async Task<IndexConfigOutcome> FetchAsync(string index, string? authorization)
    {
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.UpstreamRequestTimeout, _time);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{_upstream.Prefix}/{Uri.EscapeDataString(index)}/_mapping")
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _upstream.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return IndexConfigOutcome.None;
            }

            if (!response.IsSuccessStatusCode)
            {
                _metrics.UpstreamError("status", "index_config");
                Log.LookupRefused(_logger, index, (int)response.StatusCode);
                return IndexConfigOutcome.Failed;
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            return Read(index, json.RootElement);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException or IOException)
        {
            var kind = exception is OperationCanceledException ? UpstreamFailure.Timeout : UpstreamFailure.Classify(exception);
            _metrics.UpstreamError(kind, "index_config");
            Log.LookupFailed(_logger, index, kind, exception);
            return IndexConfigOutcome.Failed;
        }
        finally
        {
            _metrics.ConfigFetched(_time.GetElapsedTime(started));
        }
    }

    /// <summary>Reads a <c>GET _mapping</c> answer: <c>{"index": {"mappings": {...}}, ...}</c>.</summary>
    internal static IndexConfigOutcome Read(string requested, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return IndexConfigOutcome.Failed;
        }

        RerankIndexConfig? first = null;
        string? firstIndex = null;
        var any = false;
        try
        {
            foreach (var index in root.EnumerateObject())
            {
                var mappings = index.Value.ValueKind == JsonValueKind.Object && index.Value.TryGetProperty("mappings", out var m) ? m : default;
                RerankIndexConfigReader.TryReadFromMappings(index.Name, mappings, out var config);
                if (config is { Enabled: false })
                {
                    config = null;
                }

                if (!any)
                {
                    (first, firstIndex, any) = (config, index.Name, true);
                }
                else if (!SameConfig(first, config))
                {
                    throw new RerankConfigException(requested,
                        [$"[{requested}] resolves to indices with different configs ([{firstIndex}] and [{index.Name}]); writes through it cannot be vectorised consistently"]);
                }
            }
        }
        catch (RerankConfigException exception)
        {
            return new IndexConfigOutcome(null, exception, Cacheable: true);
        }

        return first is null ? IndexConfigOutcome.None : new IndexConfigOutcome(first, null, Cacheable: true);
    }

    private static bool SameConfig(RerankIndexConfig? a, RerankIndexConfig? b) =>
        a is null || b is null
            ? a is null && b is null
            : JsonNode.DeepEquals(RerankIndexConfigReader.ToJson(a), RerankIndexConfigReader.ToJson(b));

    private sealed class Entry(long generation)
    {
        private readonly TaskCompletionSource<IndexConfigOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Generation { get; } = generation;

        public Task<IndexConfigOutcome> Task => _completion.Task;

        /// <summary>Set before <see cref="Complete"/>, read only after the task completed.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MinValue;

        public void Complete(IndexConfigOutcome outcome) => _completion.TrySetResult(outcome);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
