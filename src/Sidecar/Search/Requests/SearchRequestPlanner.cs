using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>Decides whether and how a search is reranked (docs/search.md "Interception").</summary>
/// <remarks>
/// <see cref="Plan"/> checks, in this order, and answers with the first that applies (a config that is not enabled is
/// <c>skipped:not_enabled</c> before all of them):
/// 1. the body is empty or a JSON object without duplicate keys, whose <c>ext</c> (if any) is an object, else
///    <c>skipped:invalid_body</c> (forwarded as it is, for the cluster to answer);
/// 2. <c>ext.rerank</c> is valid, else 400 <c>illegal_argument_exception</c>;
/// 3. <c>ext.rerank.enabled</c> is not false (<c>disabled_by_request</c>);
/// 4. the URL has no <c>scroll</c>, no <c>filter_path</c>, and a <c>sort</c> only of <c>_score</c> descending;
/// 5. the body has no <c>retriever</c>, <c>rank</c>, <c>collapse</c>, <c>rescore</c> or <c>search_after</c>, and a
///    <c>sort</c> only of <c>_score</c> descending;
/// 6. <c>from</c>, <c>size</c>, <c>fields</c> and <c>docvalue_fields</c> have values the cluster accepts
///    (<c>invalid_body</c>);
/// 7. <c>size</c> is not 0 and <c>from</c> is below the window;
/// 8. there is a query text.
/// Every skip forwards the user's body without <c>ext.rerank</c> and the user's query string.
/// </remarks>
internal static class SearchRequestPlanner
{
    /// <summary>
    /// Plans a search of an index whose <c>_meta.rerank</c> is enabled (a disabled config gives <c>skipped:not_enabled</c>
    /// with <see cref="StripExtension"/>'s body). Never throws for any body or query string.
    /// </summary>
    public static SearchPlanResult Plan(SearchRequest request, RerankIndexConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Enabled)
        {
            return new SearchPlanResult.Skip(SkipReasons.NotEnabled, StripExtension(request.Body) ?? request.Body, request.QueryString);
        }

        if (!JsonBody.TryParse(request.Body, out var document))
        {
            return new SearchPlanResult.Skip(SkipReasons.InvalidBody, request.Body, request.QueryString);
        }

        using (document)
        {
            var root = document?.RootElement;
            if (root is { } body && (body.ValueKind != JsonValueKind.Object || (body.TryGetProperty(SearchBodyKeys.Ext, out var ext) && ext.ValueKind != JsonValueKind.Object)))
            {
                return new SearchPlanResult.Skip(SkipReasons.InvalidBody, request.Body, request.QueryString);
            }

            return PlanObject(request, config, root);
        }
    }

    /// <summary>
    /// For an index that is not enabled: the body with <c>ext.rerank</c> removed (and <c>ext</c> when it becomes empty),
    /// or null when the body has no <c>ext.rerank</c> (forward it untouched) or is not JSON.
    /// </summary>
    public static ReadOnlyMemory<byte>? StripExtension(ReadOnlyMemory<byte> body)
    {
        if (!JsonBody.TryParse(body, out var document) || document is null)
        {
            return null;
        }

        using (document)
        {
            // Not a conditional expression: its type would be byte[], and a null byte[] converts to an empty, non-null memory.
            if (!JsonBody.HasRerankExtension(document.RootElement))
            {
                return null;
            }

            return JsonBody.WithoutRerankExtension(document.RootElement);
        }
    }

    // root: an object, or null for a request without a body.
    private static SearchPlanResult PlanObject(SearchRequest request, RerankIndexConfig config, JsonElement? root)
    {
        // 2.
        var extension = RerankExtension.Default;
        var passThroughBody = request.Body;
        if (root is { } withExtension && JsonBody.HasRerankExtension(withExtension))
        {
            var value = withExtension.GetProperty(SearchBodyKeys.Ext).GetProperty(SearchBodyKeys.Rerank);
            if (!RerankExtension.TryParse(value, config.MaxWindow, out var parsed, out var error))
            {
                return new SearchPlanResult.Invalid(400, "illegal_argument_exception", error);
            }

            extension = parsed;
            passThroughBody = JsonBody.WithoutRerankExtension(withExtension);
        }

        SearchPlanResult Skip(string reason) => new SearchPlanResult.Skip(reason, passThroughBody, request.QueryString);

        // 3. to 6.
        var url = QueryStringParameters.Parse(request.QueryString);
        if (FindSkipReason(extension, url, root) is { } reason)
        {
            return Skip(reason);
        }

        if (!PageParameters.TryRead(root, url, out var from, out var size) || !FetchOptionsAreArrays(root))
        {
            return Skip(SkipReasons.InvalidBody);
        }

        // 7.
        var window = extension.Window ?? config.Window;
        if (size == 0)
        {
            return Skip(SkipReasons.SizeZero);
        }

        if (from >= window)
        {
            return Skip(SkipReasons.BeyondWindow);
        }

        // 8.
        var urlQuery = url.Get(SearchBodyKeys.UrlQueryText);
        var queryText = extension.Query
            ?? (string.IsNullOrWhiteSpace(urlQuery) ? null : urlQuery)
            ?? (root is { } body && body.TryGetProperty(SearchBodyKeys.Query, out var query) ? QueryTextExtractor.Extract(query) : string.Empty);
        if (string.IsNullOrWhiteSpace(queryText))
        {
            return Skip(SkipReasons.NoQueryText);
        }

        var firstStageSize = (int)Math.Min(int.MaxValue, Math.Max(window, (long)from + size));
        var rerankFields = RerankFetchFields.For(config);
        var fetch = new FetchBodyBuilder(root?.Clone(), urlQuery is not null);
        return new SearchPlanResult.Rerank(new SearchPlan
        {
            QueryText = queryText,
            From = from,
            Size = size,
            Window = window,
            Explain = extension.Explain,
            Branch = extension.Branch,
            FirstStageSize = firstStageSize,
            FirstStageBody = FirstStageBodyBuilder.TwoPhase(root, firstStageSize, rerankFields),
            SinglePhaseBody = FirstStageBodyBuilder.SinglePhase(root, firstStageSize, rerankFields, out var added),
            AddedFetchFields = added,
            UpstreamQueryString = url.Without(SearchBodyKeys.UrlPage.Union(SearchBodyKeys.UrlFetchOptions).ToHashSet(StringComparer.Ordinal)),
            SinglePhaseQueryString = url.Without(SearchBodyKeys.UrlPage),
            FetchQueryString = url.Without(SearchBodyKeys.UrlFetchDropped),
            PassThroughBody = passThroughBody,
            PassThroughQueryString = request.QueryString,
            BuildFetchBody = fetch.Build,
        });
    }

    private static string? FindSkipReason(RerankExtension extension, QueryStringParameters url, JsonElement? root)
    {
        if (!extension.Enabled)
        {
            return SkipReasons.DisabledByRequest;
        }

        // 4.
        if (url.Contains(SearchBodyKeys.UrlScroll))
        {
            return SkipReasons.Scroll;
        }

        if (url.Contains(SearchBodyKeys.UrlFilterPath))
        {
            return SkipReasons.FilterPath;
        }

        if (url.Get(SearchBodyKeys.Sort) is { } urlSort && !ScoreSort.IsScoreDescending(urlSort))
        {
            return SkipReasons.Sort;
        }

        if (root is not { } body)
        {
            return null;
        }

        // 5.
        foreach (var (key, reason) in BodySkips)
        {
            if (body.TryGetProperty(key, out _))
            {
                return reason;
            }
        }

        return body.TryGetProperty(SearchBodyKeys.Sort, out var sort) && !ScoreSort.IsScoreDescending(sort) ? SkipReasons.Sort : null;
    }

    private static readonly (string Key, string Reason)[] BodySkips =
    [
        (SearchBodyKeys.Retriever, SkipReasons.Retriever),
        (SearchBodyKeys.Rank, SkipReasons.Rank),
        (SearchBodyKeys.Collapse, SkipReasons.Collapse),
        (SearchBodyKeys.Rescore, SkipReasons.Rescore),
        (SearchBodyKeys.SearchAfter, SkipReasons.SearchAfter),
    ];

    // The cluster takes only arrays for these; the single-phase body appends to them.
    private static bool FetchOptionsAreArrays(JsonElement? root) =>
        root is not { } body
        || ((!body.TryGetProperty(SearchBodyKeys.Fields, out var fields) || fields.ValueKind == JsonValueKind.Array)
            && (!body.TryGetProperty(SearchBodyKeys.DocValueFields, out var docValues) || docValues.ValueKind == JsonValueKind.Array));
}
