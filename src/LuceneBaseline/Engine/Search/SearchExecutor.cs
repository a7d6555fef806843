using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;
using Rerank.LuceneBaseline.Engine.Search.Highlight;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Runs <c>_search</c> and <c>_count</c> over one or more indices (one shard each) and answers in Elasticsearch's
/// response shape.
/// </summary>
/// <remarks>
/// <para>Steps of <see cref="SearchParsed"/>:</para>
/// <list type="number">
/// <item>The body and URL parameters are parsed and validated (<see cref="SearchRequestParser"/>); what fails here
/// fails the request with Elasticsearch's coordinator-side error.</item>
/// <item>knn ("dfs" phase): each index validates every knn search and scans its vectors exactly for its best k; the
/// per-index lists are merged into the global best k per knn search.</item>
/// <item>Query phase per index (<see cref="ShardSearch"/>): the query (combined with that index's share of the knn
/// hits), min_score, aggregations, post_filter, sort and search_after, keeping the best <c>from + size</c>.</item>
/// <item>An index whose part fails (a shard failure) is left out and reported under <c>_shards.failures</c>; when
/// every index fails the request fails with <c>search_phase_execution_exception</c> "all shards failed".</item>
/// <item>The hits of all indices are merged by the sort (ties: index order, then document), the page
/// <c>[from, from + size)</c> is fetched (<c>_source</c>, <c>fields</c>, versions, explanations) and the aggregation
/// partials are reduced.</item>
/// </list>
/// <para>Thread-safe: each call works on its own state; the targets' searchers are only read.</para>
/// </remarks>
internal static class SearchExecutor
{
    /// <summary>The node id reported in shard failures and explanations (stable, Elasticsearch-shaped).</summary>
    public static readonly string NodeId = EngineException.StableUuid("rerank-embedded-engine-node");

    private static readonly HashSet<string> StoredFieldsToLoad = [LuceneFieldNames.Id, LuceneFieldNames.Source];

    /// <summary>The whole <c>_search</c> response: <c>took</c>, <c>timed_out</c>, <c>_shards</c>, <c>hits</c>, <c>aggregations</c>.</summary>
    /// <param name="targets">The indices, in the order their hits break ties; may be empty.</param>
    /// <param name="body">The request body, or null.</param>
    /// <param name="parameters">The URL parameters meant for the search.</param>
    /// <param name="cancellationToken">Cancels the search (checked while scanning and collecting).</param>
    /// <exception cref="EngineException">Every error Elasticsearch would answer with, in its type, reason and status.</exception>
    public static JsonObject Search(IReadOnlyList<SearchTarget> targets, JsonObject? body, SearchParameters parameters, CancellationToken cancellationToken) =>
        SearchParsed(targets, SearchRequestParser.Parse(body, parameters), parameters, cancellationToken);

    /// <summary>The <c>_search</c> response of a request already parsed (<see cref="SearchRequestParser.Parse"/>).</summary>
    public static JsonObject SearchParsed(IReadOnlyList<SearchTarget> targets, SearchRequest parsed, SearchParameters parameters, CancellationToken cancellationToken)
    {
        var time = parameters.Time;
        var started = time.GetTimestamp();
        var request = parsed with { Time = time, Now = time.GetUtcNow() };
        var outcome = Execute(targets, request, cancellationToken);
        var response = new JsonObject
        {
            ["took"] = 0L,
            ["timed_out"] = outcome.Results.Any(r => r.TimedOut),
        };
        if (request.TerminateAfter > 0)
        {
            response["terminated_early"] = outcome.Results.Any(r => r.TerminatedEarly);
        }

        response["_shards"] = Shards(targets.Count, outcome);
        try
        {
            response["hits"] = Hits(request, outcome, cancellationToken);
        }
        catch (HighlightFailureException e)
        {
            // One index answers in one round trip (Elasticsearch's query-and-fetch), so its failure is in the query phase.
            throw PhaseFailure(targets.Count == 1 ? "query" : "fetch", "all shards failed", targets, [(e.TargetIndex, e.Error)]);
        }

        if (request.Aggregations.Count > 0)
        {
            try
            {
                response["aggregations"] = AggregationExecutor.Reduce(
                    request.Aggregations, [.. outcome.Results.Select(r => r.Aggregations!)], request.TypedKeys);
            }
            catch (EngineException e) when (e.Type == "too_many_buckets_exception")
            {
                // As Elasticsearch reports it: the query phase fails on every shard.
                throw PhaseFailure("query", "all shards failed", targets, [.. outcome.Results.Select(r => (r.TargetIndex, e))]);
            }
        }

        var took = time.GetElapsedTime(started);
        response["took"] = (long)took.TotalMilliseconds;
        parameters.Metrics?.SearchCompleted("search", outcome.Results.Any(r => r.TimedOut), took);
        return response;
    }

    /// <summary>The <c>_count</c> response: <c>count</c> and <c>_shards</c> (and <c>terminated_early</c> with <c>terminate_after</c>).</summary>
    /// <exception cref="EngineException">Elasticsearch's errors, e.g. <c>request does not support [size]</c>.</exception>
    public static JsonObject Count(IReadOnlyList<SearchTarget> targets, JsonObject? body, SearchParameters parameters, CancellationToken cancellationToken) =>
        CountParsed(targets, SearchRequestParser.ParseCount(body, parameters), parameters, cancellationToken);

    /// <summary>The <c>_count</c> response of a request already parsed (<see cref="SearchRequestParser.ParseCount"/>).</summary>
    public static JsonObject CountParsed(IReadOnlyList<SearchTarget> targets, SearchRequest parsed, SearchParameters parameters, CancellationToken cancellationToken)
    {
        var time = parameters.Time;
        var started = time.GetTimestamp();
        var request = parsed with { Time = time, Now = time.GetUtcNow() };
        var outcome = Execute(targets, request, cancellationToken);
        var response = new JsonObject { ["count"] = outcome.Results.Sum(r => r.TotalHits) };
        if (request.TerminateAfter > 0)
        {
            response["terminated_early"] = outcome.Results.Any(r => r.TerminatedEarly);
        }

        response["_shards"] = Shards(targets.Count, outcome);
        parameters.Metrics?.SearchCompleted("count", outcome.Results.Any(r => r.TimedOut), time.GetElapsedTime(started));
        return response;
    }

    private static Outcome Execute(IReadOnlyList<SearchTarget> targets, SearchRequest request, CancellationToken cancellationToken)
    {
        // Each index is one shard of the request: its position numbers _shard_doc and assigns slices.
        targets = [.. targets.Select((t, i) => t with { ShardRequestIndex = i, ShardRequestCount = targets.Count })];
        var phase = request.Knn.Count > 0 || request.Dfs ? "dfs" : "query";
        var searchers = new IndexSearcher[targets.Count];
        var own = targets.Select(t => t.Searcher).ToList();
        for (var i = 0; i < targets.Count; i++)
        {
            searchers[i] = request.Dfs && targets.Count > 1 ? new DfsIndexSearcher(targets[i].Searcher, own) : targets[i].Searcher;
        }

        var failures = new List<(int Target, EngineException Error)>();
        var knnQueries = KnnPhase(targets, searchers, request, failures, cancellationToken);
        var results = new List<ShardResult>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (knnQueries[i] is null)
            {
                continue;
            }

            try
            {
                results.Add(ShardSearch.Run(request, i, targets[i], searchers[i], knnQueries[i]!, targets.Count > 1, cancellationToken));
            }
            catch (ShardFailureException e)
            {
                failures.Add((i, e.Error));
            }
        }

        if (targets.Count > 0 && results.Count == 0)
        {
            throw PhaseFailure(phase, "all shards failed", targets, failures);
        }

        if (failures.Count > 0 && !request.AllowPartialSearchResults)
        {
            throw PhaseFailure(phase, "Partial shards failure", targets, failures);
        }

        return new Outcome(results, failures, targets);
    }

    /// <summary>
    /// The knn searches: each index's best k per search, merged into the global best k (ties: index order, then
    /// document), returned as each index's score-doc queries. An index whose knn part fails is null.
    /// </summary>
    private static List<Query>?[] KnnPhase(
        IReadOnlyList<SearchTarget> targets, IndexSearcher[] searchers, SearchRequest request, List<(int, EngineException)> failures,
        CancellationToken cancellationToken)
    {
        var queries = new List<Query>?[targets.Count];
        if (request.Knn.Count == 0)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                queries[i] = [];
            }

            return queries;
        }

        var perClause = request.Knn.Select(_ => new List<(int Target, int Doc, float Score)>()).ToList();
        var alive = new bool[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            var target = ReferenceEquals(searchers[t], targets[t].Searcher) ? targets[t] : targets[t] with { Searcher = searchers[t] };
            try
            {
                var found = new List<(int Doc, float Score)[]>();
                foreach (var clause in request.Knn)
                {
                    var similarity = ShardSearch.Shard(() => KnnSearcher.Validate(clause, target));
                    Query? filter = null;
                    if (clause.Filters.Count > 0)
                    {
                        var all = new BooleanQuery(disableCoord: true);
                        foreach (var f in clause.Filters)
                        {
                            all.Add(ShardSearch.ParseQuery(f, target, request.Now), Occur.MUST);
                        }

                        filter = all;
                    }

                    // An alias filter pre-filters the kNN candidates, as Elasticsearch applies it: k matching hits, not
                    // k hits of which some are filtered away afterwards.
                    if (target.AliasFilters.Count > 0)
                    {
                        filter = AliasFilters.Apply(filter ?? new MatchAllDocsQuery(), target, request.Now);
                    }

                    found.Add(KnnSearcher.Search(clause, targets[t], searchers[t], filter, similarity, cancellationToken));
                }

                for (var c = 0; c < found.Count; c++)
                {
                    perClause[c].AddRange(found[c].Select(h => (t, h.Doc, h.Score)));
                }

                alive[t] = true;
            }
            catch (ShardFailureException e)
            {
                failures.Add((t, e.Error));
            }
        }

        for (var t = 0; t < targets.Count; t++)
        {
            queries[t] = alive[t] ? [] : null;
        }

        for (var c = 0; c < request.Knn.Count; c++)
        {
            var clause = request.Knn[c];
            var best = perClause[c]
                .OrderByDescending(h => h.Score).ThenBy(h => h.Target).ThenBy(h => h.Doc)
                .Take(clause.K)
                .ToList();
            for (var t = 0; t < targets.Count; t++)
            {
                if (!alive[t])
                {
                    continue;
                }

                var mine = best.Where(h => h.Target == t).OrderBy(h => h.Doc).ToList();
                queries[t]!.Add(new KnnScoreDocQuery([.. mine.Select(h => h.Doc)], [.. mine.Select(h => h.Score)], searchers[t].IndexReader)
                {
                    Boost = clause.Boost,
                });
            }
        }

        return queries;
    }

    private static JsonObject Shards(int total, Outcome outcome)
    {
        var shards = new JsonObject
        {
            ["total"] = total,
            ["successful"] = outcome.Results.Count,
            ["skipped"] = 0,
            ["failed"] = outcome.Failures.Count,
        };
        if (outcome.Failures.Count > 0)
        {
            shards["failures"] = FailedShards(outcome.Targets, outcome.Failures);
        }

        return shards;
    }

    private static JsonObject Hits(SearchRequest request, Outcome outcome, CancellationToken cancellationToken)
    {
        var scoreOnly = ResolvedSort.IsScoreOnly(request.Sort);
        var showScores = scoreOnly || request.TrackScores || request.Sort!.Any(s => s.Kind == SortKind.Score);
        var hits = new JsonObject();
        if (request.TrackTotalHitsUpTo != SearchRequest.TrackTotalHitsDisabled)
        {
            var total = outcome.Results.Sum(r => r.TotalHits);
            var capped = total > request.TrackTotalHitsUpTo;
            var value = capped ? request.TrackTotalHitsUpTo : total;
            hits["total"] = request.RestTotalHitsAsInt
                ? value
                : new JsonObject { ["value"] = value, ["relation"] = capped ? "gte" : "eq" };
        }
        else if (request.RestTotalHitsAsInt)
        {
            hits["total"] = -1;
        }

        var maxScore = float.NaN;
        if (showScores && request.Size > 0)
        {
            foreach (var result in outcome.Results)
            {
                if (!float.IsNaN(result.MaxScore) && (float.IsNaN(maxScore) || result.MaxScore > maxScore))
                {
                    maxScore = result.MaxScore;
                }
            }
        }

        hits["max_score"] = float.IsNaN(maxScore) ? null : maxScore;
        var merged = Merge(outcome.Results, scoreOnly);
        var page = merged.Skip(request.From).Take(request.Size).ToList();
        hits["hits"] = Fetch(page, outcome.Results, request, showScores, scoreOnly, cancellationToken);
        return hits;
    }

    private static List<ShardHit> Merge(List<ShardResult> results, bool scoreOnly)
    {
        var all = results.SelectMany(r => r.Hits).ToList();
        if (scoreOnly)
        {
            all.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.TargetIndex != b.TargetIndex ? a.TargetIndex.CompareTo(b.TargetIndex) : a.Doc.CompareTo(b.Doc));
            return all;
        }

        var sortsByTarget = results.ToDictionary(r => r.TargetIndex, r => r.Sorts!);
        CheckSortTypes(results);
        all.Sort((a, b) =>
        {
            var sa = sortsByTarget[a.TargetIndex];
            var sb = sortsByTarget[b.TargetIndex];
            for (var i = 0; i < sa.Length; i++)
            {
                var c = CompareAcross(sa[i], a.SortValues![i], sb[i], b.SortValues![i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.TargetIndex != b.TargetIndex ? a.TargetIndex.CompareTo(b.TargetIndex) : a.Doc.CompareTo(b.Doc);
        });
        return all;
    }

    /// <summary>A field sorted as keyword in one index and as a number in another cannot be merged (Elasticsearch's reduce error).</summary>
    private static void CheckSortTypes(List<ShardResult> results)
    {
        if (results.Count < 2)
        {
            return;
        }

        var first = results[0].Sorts!;
        foreach (var result in results.Skip(1))
        {
            for (var i = 0; i < first.Length; i++)
            {
                var (a, b) = (first[i].Kind, result.Sorts![i].Kind);
                if (a != b && (a == SortValueKind.Bytes || b == SortValueKind.Bytes))
                {
                    throw EngineException.IllegalArgument(
                        $"Can't sort on field [{first[i].Clause.Field}]; the field has incompatible sort types: [{TypeName(a)}] and [{TypeName(b)}] across shards!");
                }
            }
        }

        static string TypeName(SortValueKind kind) => kind switch
        {
            SortValueKind.Bytes => "STRING",
            SortValueKind.Double => "DOUBLE",
            _ => "LONG",
        };
    }

    /// <summary>Compares keys of the same clause from two indices whose mappings may give the field different types.</summary>
    private static int CompareAcross(ResolvedSort ra, in SortValue a, ResolvedSort rb, in SortValue b)
    {
        if (ra.Kind == rb.Kind)
        {
            return ra.Compare(a, b);
        }

        var x = ra.Kind is SortValueKind.Double or SortValueKind.Score ? a.Double : a.Long;
        var y = rb.Kind is SortValueKind.Double or SortValueKind.Score ? b.Double : b.Long;
        var c = x.CompareTo(y);
        return ra.Descending ? -c : c;
    }

    /// <summary>A document's id from the <c>_id</c> doc values (the stored field where a segment has none).</summary>
    private static string IdFromDocValues(AtomicReaderContext leaf, int local, BytesRef scratch)
    {
        var values = leaf.AtomicReader.GetBinaryDocValues(LuceneFieldNames.DocValues(LuceneFieldNames.Id));
        if (values is null)
        {
            return leaf.AtomicReader.Document(local, StoredFieldsToLoad).Get(LuceneFieldNames.Id);
        }

        values.Get(local, scratch);
        return scratch.Utf8ToString();
    }

    private static JsonArray Fetch(List<ShardHit> page, List<ShardResult> results, SearchRequest request, bool showScores, bool scoreOnly, CancellationToken cancellationToken)
    {
        var byTarget = results.ToDictionary(r => r.TargetIndex);
        var filter = request.Source.Filters ? new SourceFilter(request.Source) : null;
        var returnSource = request.Source.Fetch && !request.StoredFieldsNone && !(request.StoredFieldsGiven && !request.SourceGiven);
        var json = new JsonArray();
        var idValues = new BytesRef();
        var highlighter = request.Highlight is null ? null : new SearchHighlighter(request.Highlight, request.Now);
        foreach (var hit in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = byTarget[hit.TargetIndex];
            var target = result.Target;
            var fetcher = result.Fields;
            var leaves = result.Searcher.IndexReader.Leaves;
            var leaf = leaves[ReaderUtil.SubIndex(hit.Doc, leaves)];
            var local = hit.Doc - leaf.DocBase;
            string id;
            JsonObject? source = null;
            if (returnSource || fetcher.NeedsSource || highlighter is not null)
            {
                var stored = leaf.AtomicReader.Document(local, StoredFieldsToLoad);
                id = stored.Get(LuceneFieldNames.Id);
                var bytes = stored.GetBinaryValue(LuceneFieldNames.Source);
                source = bytes is null ? null : JsonNode.Parse(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length)) as JsonObject;
            }
            else
            {
                // Ids alone come from doc values: decompressing a stored-fields block per hit cost ~95% of a
                // 100-hit search without sources (dotnet-trace, SciFact).
                id = IdFromDocValues(leaf, local, idValues);
            }

            var hitJson = new JsonObject();
            if (request.Explain)
            {
                hitJson["_shard"] = $"[{target.IndexName}][0]";
                hitJson["_node"] = NodeId;
            }

            hitJson["_index"] = target.IndexName;
            if (!request.StoredFieldsNone)
            {
                hitJson["_id"] = id;
            }

            if (request.Version)
            {
                hitJson["_version"] = NumericValue(leaf, LuceneFieldNames.Version, local);
            }

            if (request.SeqNoPrimaryTerm)
            {
                hitJson["_seq_no"] = NumericValue(leaf, LuceneFieldNames.SeqNo, local);
                hitJson["_primary_term"] = NumericValue(leaf, LuceneFieldNames.PrimaryTerm, local);
            }

            hitJson["_score"] = showScores && !float.IsNaN(hit.Score) ? hit.Score : null;
            JsonObject? fields = fetcher.Any ? fetcher.Fetch(source, id, leaf, local) : null;
            var highlight = source is null ? null : highlighter?.Highlight(result, source, local);
            if (returnSource && source is not null)
            {
                filter?.Apply(source);
                hitJson["_source"] = source;
            }

            if (fields is not null)
            {
                hitJson["fields"] = fields;
            }

            if (highlight is not null)
            {
                hitJson["highlight"] = highlight;
            }

            if (!scoreOnly)
            {
                var sortJson = new JsonArray();
                for (var i = 0; i < result.Sorts!.Length; i++)
                {
                    sortJson.Add(result.Sorts[i].ToJson(hit.SortValues![i]));
                }

                hitJson["sort"] = sortJson;
            }

            if (request.Explain)
            {
                hitJson["_explanation"] = ExplanationJson(result.Searcher.Explain(result.Query, hit.Doc));
            }

            json.Add(hitJson);
        }

        return json;
    }

    private static long NumericValue(AtomicReaderContext leaf, string field, int doc) =>
        leaf.AtomicReader.GetNumericDocValues(field)?.Get(doc) ?? 0;

    private static JsonObject ExplanationJson(Explanation explanation)
    {
        var details = new JsonArray();
        foreach (var detail in explanation.GetDetails() ?? [])
        {
            details.Add(ExplanationJson(detail));
        }

        return new JsonObject
        {
            ["value"] = explanation.Value,
            ["description"] = explanation.Description,
            ["details"] = details,
        };
    }

    /// <summary>
    /// Elasticsearch's <c>search_phase_execution_exception</c>: one <c>failed_shards</c> entry (the failure with its
    /// cause chain) and one root cause per failed index and distinct error, and <c>caused_by</c> the first failure's
    /// root cause (a plain Java exception such as <c>illegal_argument_exception</c> appears wrapped in itself, as
    /// Elasticsearch's root-cause guessing wraps it). <see cref="EngineException.RootCause"/> is that root cause;
    /// <c>Extra["root_cause"]</c> lists them all.
    /// </summary>
    private static EngineException PhaseFailure(string phase, string reason, IReadOnlyList<SearchTarget> targets, List<(int Target, EngineException Error)> failures)
    {
        var first = RootOf(failures[0].Error);
        var uuidOf = UuidOf(targets);
        var rootCauses = new JsonArray();
        foreach (var (_, error) in Grouped(targets, failures))
        {
            rootCauses.Add(SearchErrors.Describe(RootOf(error), includeCause: false, uuidOf));
        }

        var causedBy = SearchErrors.Describe(first, includeCause: true, uuidOf);
        if (IsPlainJavaException(first))
        {
            // Elasticsearch wraps a plain Java root cause in an exception named after it.
            causedBy["caused_by"] = SearchErrors.Describe(first, includeCause: true, uuidOf);
        }

        var extra = new JsonObject
        {
            ["root_cause"] = rootCauses,
            ["phase"] = phase,
            ["grouped"] = true,
            ["failed_shards"] = FailedShards(targets, failures),
            ["caused_by"] = causedBy,
        };
        return new EngineException(failures[0].Error.Status, "search_phase_execution_exception", reason, extra: extra, rootCause: first);
    }

    private static Func<string, string> UuidOf(IReadOnlyList<SearchTarget> targets) => name =>
        targets.FirstOrDefault(t => t.IndexName == name)?.IndexUuid ?? EngineException.StableUuid(name);

    /// <summary>Elasticsearch's <c>guessRootCauses</c> for one failure: the innermost Elasticsearch exception.</summary>
    private static EngineException RootOf(EngineException error) => error.RootCause is { } inner && !ReferenceEquals(inner, error) ? RootOf(inner) : error;

    private static JsonArray FailedShards(IReadOnlyList<SearchTarget> targets, List<(int Target, EngineException Error)> failures)
    {
        var uuidOf = UuidOf(targets);
        var shards = new JsonArray();
        foreach (var (index, error) in Grouped(targets, failures))
        {
            shards.Add(new JsonObject
            {
                ["shard"] = 0,
                ["index"] = index,
                ["node"] = NodeId,
                ["reason"] = SearchErrors.Describe(error, includeCause: true, uuidOf),
            });
        }

        return shards;
    }

    /// <summary>Failures grouped as Elasticsearch groups them: one per index and distinct error.</summary>
    private static IEnumerable<(string Index, EngineException Error)> Grouped(IReadOnlyList<SearchTarget> targets, List<(int Target, EngineException Error)> failures) =>
        failures
            .Select(f => (Index: targets[f.Target].IndexName, f.Error))
            .DistinctBy(f => (f.Index, f.Error.Type, f.Error.Reason));

    private static bool IsPlainJavaException(EngineException error) =>
        error.Index is null && error.Type is "illegal_argument_exception" or "number_format_exception" or "illegal_state_exception";

    private sealed record Outcome(List<ShardResult> Results, List<(int Target, EngineException Error)> Failures, IReadOnlyList<SearchTarget> Targets);
}
