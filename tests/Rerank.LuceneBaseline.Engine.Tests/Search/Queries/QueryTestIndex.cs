using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>
/// A small <see cref="TestIndex"/> named <c>test</c> (the mapping through <c>MappingParser</c>, documents through
/// <c>DocumentConverter</c>, BM25(1.2, 0.75) on writer and searcher), all documents in one segment in the order given,
/// with helpers that run query JSON against it at the fixed <see cref="Now"/>.
/// </summary>
internal sealed class QueryTestIndex : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 5, 15, 13, 45, 30, TimeSpan.Zero);

    private readonly TestIndex _index;

    private QueryTestIndex(string mappingJson, IEnumerable<(string Id, string Json)> documents)
    {
        _index = new TestIndex("test", mappingJson, documents);
        if (_index.SegmentCount is var segments and > 1)
        {
            // Tie order below assumes one segment in document order.
            _index.Dispose();
            throw new InvalidOperationException($"expected one segment, got {segments}");
        }
    }

    public SearchTarget Target => _index.Target;

    public int MaxDoc => Target.Searcher.IndexReader.MaxDoc;

    public static QueryTestIndex Create(string mappingJson, params (string Id, string Json)[] documents) => new(mappingJson, documents);

    /// <summary>The hits of a query JSON, best first (ties by index order), as (_id, score).</summary>
    public List<(string Id, float Score)> Search(string queryJson)
    {
        var query = QueryDslParser.Parse(JsonNode.Parse(queryJson)!.AsObject(), Target, Now);
        var hits = Target.Searcher.Search(query, 1000).ScoreDocs;
        return hits.Select(h => (Target.Searcher.Doc(h.Doc).Get(LuceneFieldNames.Id), h.Score)).ToList();
    }

    /// <summary>The ids of the hits, sorted by id.</summary>
    public List<string> Ids(string queryJson) => Search(queryJson).Select(h => h.Id).Order(StringComparer.Ordinal).ToList();

    /// <summary>The score of one document, or null when it is not a hit.</summary>
    public float? Score(string queryJson, string id) => Search(queryJson).Where(h => h.Id == id).Select(h => (float?)h.Score).FirstOrDefault();

    /// <summary>The error building the query for this index.</summary>
    public EngineException Error(string queryJson) =>
        Assert.Throws<EngineException>(() => QueryDslParser.Parse(JsonNode.Parse(queryJson)!.AsObject(), Target, Now));

    /// <summary>The number of documents containing <paramref name="term"/> in <paramref name="field"/>.</summary>
    public int DocFreq(string field, string term) => Target.Searcher.IndexReader.DocFreq(new Term(field, term));

    public void Dispose() => _index.Dispose();
}
