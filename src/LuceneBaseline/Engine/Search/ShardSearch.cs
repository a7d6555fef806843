using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The query phase of one index, in the order Elasticsearch's <c>SearchService</c> prepares a shard: the query, the
/// post filter, the sort, the aggregations, <c>search_after</c>, then the result window; then the collection.
/// Failures Elasticsearch reports per shard are thrown as <see cref="ShardFailureException"/>.
/// </summary>
internal static class ShardSearch
{
    /// <summary>Builds a parsed query for <paramref name="target"/>; a <c>query_shard_exception</c> fails only this index.</summary>
    public static Query ParseQuery(QueryNode query, SearchTarget target, DateTimeOffset now)
    {
        try
        {
            return QueryDslParser.ToQuery(query, target, now);
        }
        catch (EngineException e) when (QueryErrors.IsShardFailure(e))
        {
            throw new ShardFailureException(e);
        }
    }

    /// <summary>Runs <paramref name="action"/>, turning its <see cref="EngineException"/> into this index's failure.</summary>
    public static T Shard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EngineException e)
        {
            throw new ShardFailureException(e);
        }
    }

    /// <param name="request">The parsed request.</param>
    /// <param name="targetIndex">The index's position among the request's targets.</param>
    /// <param name="target">The index.</param>
    /// <param name="searcher">The searcher to run with (the target's, or a DFS searcher over it).</param>
    /// <param name="knnQueries">This index's share of each knn search's global top k, or empty.</param>
    /// <param name="multipleIndices">Whether other indices take part (terms aggregations then keep <c>shard_size</c> buckets).</param>
    /// <param name="cancellationToken">Checked while collecting.</param>
    public static ShardResult Run(
        SearchRequest request, int targetIndex, SearchTarget target, IndexSearcher searcher, IReadOnlyList<Query> knnQueries, bool multipleIndices,
        CancellationToken cancellationToken)
    {
        var started = request.Time.GetTimestamp();
        var scoped = ReferenceEquals(searcher, target.Searcher) ? target : target with { Searcher = searcher };
        var query = AliasFilters.Apply(MainQuery(request, scoped, knnQueries), scoped, request.Now);
        if (request.Slice is { } slice)
        {
            query = PointInTime.SliceFilter.Apply(query, slice, scoped);
        }
        var postFilter = request.PostFilter is null ? null : ParseQuery(request.PostFilter, scoped, request.Now);
        var scoreOnly = ResolvedSort.IsScoreOnly(request.Sort);
        var sorts = scoreOnly ? null : Shard(() => ResolvedSort.Resolve(request.Sort!, scoped));
        var aggregations = request.Aggregations.Count == 0
            ? null
            : Shard(() => AggregationExecutor.Prepare(request.Aggregations, scoped, node => ParseQuery(node, scoped, request.Now)));
        SortValue[]? after = null;
        if (request.SearchAfter is { Count: > 0 } searchAfter)
        {
            after = Shard(() => ParseSearchAfter(searchAfter, sorts));
        }

        var fields = Shard(() => new FieldsFetcher(scoped, request.Fields, request.DocValueFields));
        var window = (long)request.From + request.Size;
        if (window > target.MaxResultWindow)
        {
            throw new ShardFailureException(SearchErrors.ResultWindowTooLarge(target.MaxResultWindow, window));
        }

        var capacity = (int)window;
        ITopHits top = sorts is null ? new ScoreTopHits(capacity) : new FieldTopHits(sorts, capacity, after);
        var leaves = searcher.IndexReader.Leaves;
        var docs = aggregations is null ? null : new DocSet(leaves.Count);
        var needScores = scoreOnly || request.TrackScores || (sorts?.Any(s => s.Kind == SortValueKind.Score) ?? false);
        var collector = new QueryPhaseCollector(
            needScores, request.MinScore, postFilter is null ? null : FilterBits(searcher, postFilter), docs, top, request.TerminateAfter, SearchTimeBound.Bound(request.Timeout),
            request.Time, cancellationToken);
        var timedOut = false;
        try
        {
            searcher.Search(query, collector);
        }
        catch (SearchTimeoutException)
        {
            timedOut = true;
        }

        Dictionary<string, AggregationPartial>? aggregationResults = null;
        if (aggregations is not null)
        {
            // Aggregations are computed after the query phase, within what is left of the same time bound: past it,
            // the index answers empty aggregations and timed_out, so 1,000 sibling aggregations cannot hold a thread.
            var remaining = SearchTimeBound.Bound(request.Timeout) - request.Time.GetElapsedTime(started);
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, request.Time);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                aggregationResults = AggregationExecutor.Compute(aggregations, searcher, docs!, multipleIndices, bound.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
                aggregationResults = AggregationExecutor.Empty(aggregations);
            }
        }

        return new ShardResult
        {
            TargetIndex = targetIndex,
            Target = scoped,
            Searcher = searcher,
            Query = query,
            TotalHits = collector.TotalHits,
            MaxScore = collector.MaxScore,
            Hits = top.Results(targetIndex),
            Sorts = sorts,
            Aggregations = aggregationResults,
            Fields = fields,
            TimedOut = timedOut,
            TerminatedEarly = collector.TerminatedEarly,
        };
    }

    /// <summary>
    /// The query that decides hits and scores: the request's query (match_all without one, none when only knn is
    /// given), or, with knn, a disjunction of it and every knn search's top documents, whose scores add up.
    /// </summary>
    private static Query MainQuery(SearchRequest request, SearchTarget target, IReadOnlyList<Query> knnQueries)
    {
        Query? main = request.UrlQuery is { } q
            ? UrlQueryBuilder.Build(q, target)
            : request.Query is { } node ? ParseQuery(node, target, request.Now) : null;
        if (request.Knn.Count == 0)
        {
            return main ?? new MatchAllDocsQuery();
        }

        if (main is null && knnQueries.Count == 1)
        {
            return knnQueries[0];
        }

        var combined = new BooleanQuery(disableCoord: true);
        if (main is not null)
        {
            combined.Add(main, Occur.SHOULD);
        }

        foreach (var knn in knnQueries)
        {
            combined.Add(knn, Occur.SHOULD);
        }

        return combined;
    }

    private static SortValue[] ParseSearchAfter(JsonArray values, ResolvedSort[]? sorts)
    {
        if (sorts is null)
        {
            throw EngineException.IllegalArgument("Sort must contain at least one field.");
        }

        if (values.Count != sorts.Length)
        {
            throw EngineException.IllegalArgument($"search_after has {values.Count} value(s) but sort has {sorts.Length}.");
        }

        var after = new SortValue[sorts.Length];
        for (var i = 0; i < sorts.Length; i++)
        {
            after[i] = sorts[i].ParseAfter(values[i]);
        }

        return after;
    }

    /// <summary>The documents of each segment matching <paramref name="filter"/> (the post filter), as bit sets.</summary>
    private static FixedBitSet?[] FilterBits(IndexSearcher searcher, Query filter)
    {
        var weight = searcher.CreateNormalizedWeight(filter);
        var leaves = searcher.IndexReader.Leaves;
        var bits = new FixedBitSet?[leaves.Count];
        foreach (var leaf in leaves)
        {
            var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is null)
            {
                continue;
            }

            var set = new FixedBitSet(leaf.AtomicReader.MaxDoc);
            for (var doc = scorer.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = scorer.NextDoc())
            {
                set.Set(doc);
            }

            bits[leaf.Ord] = set;
        }

        return bits;
    }
}
