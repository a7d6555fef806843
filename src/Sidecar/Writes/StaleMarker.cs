using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Writes;

/// <summary>
/// Marks documents of scripted updates stale (<c>script_update</c>) once the cluster has answered the update, with one
/// <c>_bulk</c> of partial updates sent with the caller's credentials (docs/write-path.md). A mark that fails is logged
/// and dropped: the document's hash no longer matching its text still makes backfill re-encode it. Thread-safe.
/// </summary>
internal sealed partial class StaleMarker(UpstreamClient upstream, SidecarOptions options, TimeProvider time, ILogger<StaleMarker> logger)
{
    public async Task MarkAsync(IReadOnlyList<ScriptedUpdate> updates, string? authorization, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var body = new StringBuilder();
        foreach (var update in updates)
        {
            var meta = new JsonObject { ["_index"] = update.Index, ["_id"] = update.Id, ["retry_on_conflict"] = 3 };
            if (update.Routing is not null)
            {
                meta["routing"] = update.Routing;
            }

            var doc = new JsonObject();
            SourcePath.Set(doc, update.StaleField, StaleReason.ScriptUpdate);
            body.Append(new JsonObject { ["update"] = meta }.ToJsonString()).Append('\n');
            body.Append(new JsonObject { ["doc"] = doc }.ToJsonString()).Append('\n');
        }

        try
        {
            using var timeout = new CancellationTokenSource(options.UpstreamRequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{upstream.Prefix}/_bulk")
            {
                Content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"),
            };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await upstream.Http.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Log.MarkFailed(logger, updates.Count, $"status {(int)response.StatusCode}", null);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            Log.MarkFailed(logger, updates.Count, exception.GetType().Name, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3904, Level = LogLevel.Warning, Message = "Could not mark {Count} scripted updates stale ({Reason}); backfill finds them by their text hash")]
        public static partial void MarkFailed(ILogger logger, int count, string reason, Exception? exception);
    }
}
