using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// The documents of one index that belong to a slice of a point in time, as Elasticsearch's <c>SliceBuilder</c>
/// assigns them with the default <c>_shard_doc</c> slicing (each index of the engine is one shard):
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>With fewer slices than shards, shard <c>s</c> belongs whole to slice <c>s % max</c>.</item>
/// <item>Otherwise slice <c>id</c> reads shard <c>id % shards</c>, which is split into as many slices as are
/// assigned to it (<c>max / shards</c>, one more for the first <c>max % shards</c> shards); slice <c>id</c> is part
/// <c>id / shards</c>, a contiguous range of document numbers, as <c>DocIdSliceQuery</c> splits a shard.</item>
/// </list>
/// The slices of one point in time therefore partition its documents: each document is in exactly one.
/// </remarks>
internal sealed class SliceFilter : Filter
{
    private readonly long _from;
    private readonly long _to;

    private SliceFilter(long from, long to)
    {
        _from = from;
        _to = to;
    }

    /// <summary>Restricts <paramref name="query"/> to the slice's documents of <paramref name="target"/> (scores unchanged).</summary>
    public static Query Apply(Query query, SliceSpec slice, SearchTarget target)
    {
        var (from, to) = Range(slice, target.ShardRequestIndex, target.ShardRequestCount, target.Searcher.IndexReader.MaxDoc);
        return new FilteredQuery(query, new SliceFilter(from, to));
    }

    /// <summary>The document range <c>[from, to)</c> of the shard that the slice reads (empty when it reads none of it).</summary>
    public static (long From, long To) Range(SliceSpec slice, int shard, int shards, int maxDoc)
    {
        if (slice.Max < shards)
        {
            return shard % slice.Max == slice.Id ? (0, maxDoc) : (0, 0);
        }

        if (slice.Id % shards != shard)
        {
            return (0, 0);
        }

        var parts = (slice.Max / shards) + (slice.Max % shards > shard ? 1 : 0);
        var part = slice.Id / shards;
        return ((long)part * maxDoc / parts, (long)(part + 1) * maxDoc / parts);
    }

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
    {
        var maxDoc = context.AtomicReader.MaxDoc;
        var from = Math.Max(_from - context.DocBase, 0);
        var to = Math.Min(_to - context.DocBase, maxDoc);
        if (from >= to)
        {
            return null;
        }

        var bits = new FixedBitSet(maxDoc);
        bits.Set((int)from, (int)to);
        return BitsFilteredDocIdSet.Wrap(bits, acceptDocs);
    }

    public override string ToString() => $"slice[{_from}, {_to})";
}
