using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Search.Requests;

namespace Rerank.Sidecar.Search;

/// <summary>
/// Runs one planned rerank (docs/search.md "Two phases"): the first stage and the query's encoding in parallel, one
/// batched scoring call under the index's budget, the page sliced from the reranked window followed by first-stage
/// order, its documents fetched, and the answer composed.
/// </summary>
/// <remarks>
/// <see cref="ExecuteAsync"/> either answers the client itself (applied, or the first stage's own error answer) and
/// returns null, or returns a fallback reason before anything was written: the caller then forwards the user's request
/// as it is (without <c>ext.rerank</c>), so a fallback answers what the cluster would have. Thread-safe.
/// </remarks>
internal sealed partial class RerankSearch(
    SearchUpstream upstream,
    IQueryScorer scorer,
    ModelBreaker breaker,
    SidecarOptions options,
    SidecarMetrics metrics,
    TimeProvider time,
    ILogger<RerankSearch> logger)
{
    public async Task<string?> ExecuteAsync(HttpContext context, string rawPath, SearchPlan plan, RerankIndexConfig config)
    {
        var modelId = config.ModelId;
        if (scorer.ProjectionDim(modelId) is not { } projectionDim)
        {
            return SearchOutcomes.ModelNotLoaded;
        }

        if (!breaker.TryEnter(modelId, out var trial))
        {
            return SearchOutcomes.BreakerOpen;
        }

        var modelReached = false;
        try
        {
            var result = await RunAsync(context, rawPath, plan, config, projectionDim, trial, () => modelReached = true).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (!modelReached)
            {
                breaker.Abandoned(modelId, trial);
            }
        }
    }

    private async Task<string?> RunAsync(HttpContext context, string rawPath, SearchPlan plan, RerankIndexConfig config, int projectionDim, bool trial, Action modelReached)
    {
        var aborted = context.RequestAborted;
        var modelId = config.ModelId;
        Log.Reranking(logger, plan.QueryText, plan.Window);
        using var encoding = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var encodeStarted = time.GetTimestamp();
        var encode = EncodeAsync(modelId, plan.QueryText, encoding.Token);
        try
        {
            // 1. The first stage, while the query is encoded.
            var singlePhase = plan.Window <= options.Search.SinglePhaseMaxWindow;
            var firstStarted = time.GetTimestamp();
            var first = await SendAsync(
                context, rawPath, singlePhase ? plan.SinglePhaseQueryString : plan.UpstreamQueryString, singlePhase ? plan.SinglePhaseBody : plan.FirstStageBody).ConfigureAwait(false);
            metrics.SearchFirstStage(time.GetElapsedTime(firstStarted));
            if (first.Reason is { } firstFailure)
            {
                return firstFailure;
            }

            var answer = first.Answer!;
            if (!answer.IsSuccess)
            {
                // The cluster refused the query: its answer, as it is.
                Log.FirstStageError(logger, answer.Status);
                await WriteAsync(context, answer, answer.Body, SearchOutcomes.Fallback + ":" + SearchOutcomes.UpstreamError, null, null).ConfigureAwait(false);
                return null;
            }

            using var document = Parse(answer.Body);
            var hits = document is null ? null : FirstStageHits.Parse(document.RootElement, config, projectionDim, plan.Window);
            if (hits is null)
            {
                Log.InvalidResponse(logger, "first stage");
                return SearchOutcomes.InvalidResponse;
            }

            // 2. The window's vectors.
            var missing = hits.Missing;
            var fraction = hits.Window == 0 ? 0.0 : (double)missing / hits.Window;
            if (hits.Window > 0 && (missing == hits.Window || fraction > config.MaxMissingFraction))
            {
                Log.MissingVectors(logger, missing, hits.Window);
                return await FallBackAsync(context, singlePhase, answer, document!.RootElement, hits, plan, SearchOutcomes.MissingVectors).ConfigureAwait(false);
            }

            // 3. The rerank stage under the budget.
            var logits = new float[hits.Window];
            Array.Fill(logits, float.NaN);
            if (hits.Window > 0)
            {
                modelReached();
                metrics.SearchWindow(hits.Window, fraction);
                var failure = await ScoreAsync(encode, encodeStarted, hits, plan, config, logits, trial, aborted).ConfigureAwait(false);
                if (failure is not null)
                {
                    return await FallBackAsync(context, singlePhase, answer, document!.RootElement, hits, plan, failure).ConfigureAwait(false);
                }
            }

            // 4. The page.
            var (page, maxScore) = Page(hits, logits, plan, config);
            JsonDocument? fetched = null;
            try
            {
                Func<int, JsonElement?> source = i => hits.Hits[i];
                IReadOnlyCollection<string> remove = singlePhase ? [.. plan.AddedFetchFields] : [];
                if (!singlePhase && page.Count > 0)
                {
                    // The fetch is the user's query filtered by ids, so a hit of another index that shares a page id
                    // matches it too and, ranked above a page hit, would push it out of `size`. Every first-stage hit
                    // with a page id outranks a document below the first stage, so sizing the fetch by them (one
                    // entry each) keeps every page hit in it.
                    var pageIds = page.Select(h => Id(hits.Hits[h.FirstStageIndex])).ToHashSet(StringComparer.Ordinal);
                    var ids = hits.Hits.Select(Id).Where(pageIds.Contains).ToList();
                    var fetchStarted = time.GetTimestamp();
                    var fetch = await SendAsync(context, rawPath, plan.FetchQueryString, plan.BuildFetchBody(ids)).ConfigureAwait(false);
                    metrics.SearchFetch(time.GetElapsedTime(fetchStarted));
                    if (fetch.Reason is { } fetchFailure)
                    {
                        return fetchFailure;
                    }

                    if (!fetch.Answer!.IsSuccess)
                    {
                        Log.FetchError(logger, fetch.Answer.Status);
                        return SearchOutcomes.UpstreamError;
                    }

                    fetched = Parse(fetch.Answer.Body);
                    var byKey = fetched is null ? null : FetchedHits(fetched.RootElement);
                    if (byKey is null)
                    {
                        Log.InvalidResponse(logger, "fetch");
                        return SearchOutcomes.InvalidResponse;
                    }

                    source = i => byKey.TryGetValue(Key(hits.Hits[i]), out var hit) ? hit : null;
                }

                var body = SearchResponseComposer.Compose(
                    document!.RootElement, page, source, hits.Scores, maxScore, remove, plan.Explain ? modelId : null);
                await WriteAsync(
                    context, answer, body, SearchOutcomes.Applied, modelId, fraction.ToString("0.####", CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return null;
            }
            finally
            {
                fetched?.Dispose();
            }
        }
        finally
        {
            // An encoding no longer awaited (an early fallback) is cancelled, and its failure observed.
            await encoding.CancelAsync().ConfigureAwait(false);
            Observe(encode);
        }
    }

    /// <summary>
    /// A fallback once the first stage is in hand. In single phase its hits already carry the user's fetch options, so
    /// the page is sliced from them in first-stage order with their own scores (what the cluster answers the user's
    /// request) and answered here; in two phases the caller forwards the user's request.
    /// </summary>
    private static async Task<string?> FallBackAsync(
        HttpContext context, bool singlePhase, UpstreamAnswer answer, JsonElement root, FirstStageHits hits, SearchPlan plan, string reason)
    {
        if (!singlePhase)
        {
            return reason;
        }

        var end = (int)Math.Min(hits.Hits.Length, (long)plan.From + plan.Size);
        var page = new List<PageHit>(Math.Max(0, end - plan.From));
        for (var position = plan.From; position < end; position++)
        {
            page.Add(new PageHit(position, position + 1, hits.Scores[position], float.NaN));
        }

        // Scores, max_score and every hit's JSON as the first stage gave them; only the added rerank fields go.
        var body = SearchResponseComposer.Compose(root, page, i => hits.Hits[i], hits.Scores, null, [.. plan.AddedFetchFields], null, keepScores: true);
        await WriteAsync(context, answer, body, SearchOutcomes.Fallback + ":" + reason, null, null).ConfigureAwait(false);
        return null;
    }

    private async Task<float[]> EncodeAsync(string modelId, string text, CancellationToken cancellationToken)
    {
        // A seam may throw synchronously; the caller sees every failure when it awaits.
        await Task.Yield();
        return await scorer.EncodeQueryAsync(modelId, text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Awaits the encoding and scores the usable candidates into <paramref name="logits"/>; a fallback reason on failure.</summary>
    private async Task<string?> ScoreAsync(
        Task<float[]> encode, long encodeStarted, FirstStageHits hits, SearchPlan plan, RerankIndexConfig config, float[] logits, bool trial, CancellationToken aborted)
    {
        var modelId = config.ModelId;
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(config.BudgetMilliseconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, aborted);
        try
        {
            var query = await encode.WaitAsync(linked.Token).ConfigureAwait(false);
            metrics.SearchEncode(time.GetElapsedTime(encodeStarted));
            var scoreStarted = time.GetTimestamp();
            var scored = await scorer.ScoreAsync(modelId, query, hits.Projections, plan.Branch, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            metrics.SearchScore(time.GetElapsedTime(scoreStarted));
            var next = 0;
            for (var i = 0; i < hits.Window; i++)
            {
                if (hits.Usable[i])
                {
                    // An infinite logit (a model's overflow) is kept as the largest finite one, so fused scores stay
                    // finite; NaN stays NaN (scored as a candidate without a vector).
                    logits[i] = Math.Clamp(scored[next++], float.MinValue, float.MaxValue);
                }
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            var opened = breaker.Failed(modelId);
            Log.BudgetExceeded(logger, modelId, config.BudgetMilliseconds, opened);
            return SearchOutcomes.Timeout;
        }
        catch (ModelNotLoadedException)
        {
            breaker.Abandoned(modelId, trial);
            return SearchOutcomes.ModelNotLoaded;
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested)
        {
            var opened = breaker.Failed(modelId);
            Log.ModelFailed(logger, modelId, opened, exception);
            return SearchOutcomes.ModelError;
        }
        catch (Exception)
        {
            // The client left: neither a success nor a failure of the model, but a half-open breaker's trial is given back
            // (else no search could ever try the model again).
            breaker.Abandoned(modelId, trial);
            throw;
        }

        breaker.Succeeded(modelId);
        return null;
    }

    /// <summary>The page: the reranked window followed by first-stage order, sliced by from/size; and the window's first score.</summary>
    private static (List<PageHit> Page, float? MaxScore) Page(FirstStageHits hits, float[] logits, SearchPlan plan, RerankIndexConfig config)
    {
        var n = hits.Window;
        if (n == 0)
        {
            return ([], null);
        }

        var window = RerankScoring.Rerank(hits.Scores.AsSpan(0, n), logits, config.ScoreMode, config.LinearWeight, config.RrfK);
        // size may be up to int.MaxValue: the page is what the hits hold, from + size computed without overflow.
        var end = (int)Math.Min(hits.Hits.Length, (long)plan.From + plan.Size);
        var page = new List<PageHit>(Math.Max(0, end - plan.From));
        for (var position = plan.From; position < end; position++)
        {
            if (position < n)
            {
                var candidate = window.Order[position];
                page.Add(new PageHit(candidate, position + 1, window.Scores[position], logits[candidate]));
            }
            else
            {
                var score = RerankScoring.BeyondWindowScore(hits.Scores[position], hits.Scores[n - 1], window.Scores[n - 1]);
                page.Add(new PageHit(position, position + 1, score, float.NaN));
            }
        }

        return (page, window.Scores[0]);
    }

    private async Task<(UpstreamAnswer? Answer, string? Reason)> SendAsync(HttpContext context, string rawPath, string queryString, ReadOnlyMemory<byte> body)
    {
        UpstreamAnswer answer;
        try
        {
            answer = await upstream.SendAsync(context.Request, rawPath, queryString, body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            Log.UpstreamFailed(logger, exception);
            return (null, SearchOutcomes.UpstreamError);
        }

        if (answer.TooLarge)
        {
            Log.ResponseTooLarge(logger, options.Search.MaxUpstreamResponseBytes);
            return (null, SearchOutcomes.ResponseTooLarge);
        }

        return (answer, null);
    }

    private static JsonDocument? Parse(byte[] body)
    {
        // Text that cannot be read or written back exactly (invalid UTF-8, an escaped surrogate without its pair): the
        // answer is not one the sidecar can compose from, so the user's request is forwarded.
        if (!Utf8.IsValid(body) || JsonBody.HasLoneSurrogateEscape(body))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body, SearchResponseComposer.ReadOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<(string, string), JsonElement>? FetchedHits(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("hits", out var outer) || outer.ValueKind != JsonValueKind.Object
            || !outer.TryGetProperty("hits", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var byKey = new Dictionary<(string, string), JsonElement>();
        foreach (var hit in list.EnumerateArray())
        {
            if (hit.ValueKind != JsonValueKind.Object
                || !hit.TryGetProperty("_id", out var id) || id.ValueKind != JsonValueKind.String
                || !hit.TryGetProperty("_index", out var index) || index.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            byKey.TryAdd(Key(hit), hit);
        }

        return byKey;
    }

    private static string Id(JsonElement hit) => hit.GetProperty("_id").GetString()!;

    private static (string, string) Key(JsonElement hit) => (hit.GetProperty("_index").GetString()!, hit.GetProperty("_id").GetString()!);

    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Answers with the upstream's status and headers (framing and coding left out) and <paramref name="body"/>.</summary>
    private static async Task WriteAsync(HttpContext context, UpstreamAnswer answer, byte[] body, string outcome, string? model, string? missing)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, values) in answer.Headers)
        {
            response.Headers[name] = values;
        }

        response.Headers[SearchOutcomes.Header] = outcome;
        if (model is not null)
        {
            response.Headers[SearchOutcomes.ModelHeader] = model;
        }

        if (missing is not null)
        {
            response.Headers[SearchOutcomes.MissingHeader] = missing;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
