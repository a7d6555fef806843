using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;
using FieldType = Rerank.LuceneBaseline.Engine.Mapping.FieldType;

namespace Rerank.LuceneBaseline.Tests.Engine.Search.Queries;

/// <summary>
/// A small index in the engine's Lucene layout (docs/embedded-engine-internals.md) in a RAMDirectory, BM25(1.2, 0.75)
/// on writer and searcher, one segment with documents in the order given, and a <see cref="SearchTarget"/> over it.
/// </summary>
internal sealed class QueryTestIndex : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 5, 15, 13, 45, 30, TimeSpan.Zero);

    private readonly RAMDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly Analyzer _analyzer;

    private QueryTestIndex(IndexMapping mapping, IEnumerable<(string Id, string Json)> documents)
    {
        _directory = new RAMDirectory();
        var perField = mapping.FieldsByPath.Values
            .Where(f => f.Type == FieldType.Text)
            .ToDictionary(f => f.Path, f => AnalyzerFactory.Create(f.Analyzer == "cjk" ? AnalyzerKind.Cjk : AnalyzerKind.Standard));
        _analyzer = new PerFieldAnalyzerWrapper(AnalyzerFactory.Create(AnalyzerKind.Standard), perField);
        var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer)
        {
            Similarity = new BM25Similarity(1.2f, 0.75f),
            MergePolicy = new LogByteSizeMergePolicy(),
        };
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (var (id, json) in documents)
            {
                writer.AddDocument(LayoutDocument(mapping, id, JsonNode.Parse(json)!.AsObject()));
            }

            writer.ForceMerge(1);
            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(1.2f, 0.75f) };
        Target = new SearchTarget("test", searcher, mapping, _analyzer, 10_000);
    }

    public SearchTarget Target { get; }

    public int MaxDoc => _reader.MaxDoc;

    public static QueryTestIndex Create(IndexMapping mapping, params (string Id, string Json)[] documents) => new(mapping, documents);

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
    public int DocFreq(string field, string term) => _reader.DocFreq(new Term(field, term));

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }

    // The documented layout, written by hand: what Documents produces and Search reads.
    private static Document LayoutDocument(IndexMapping mapping, string id, JsonObject source)
    {
        var document = new Document { new StringField(LuceneFieldNames.Id, id, Field.Store.YES) };
        var present = new HashSet<string>(StringComparer.Ordinal);
        AddObject(document, mapping, source, "", present);
        foreach (var path in present)
        {
            document.Add(new StringField(LuceneFieldNames.FieldNames, path, Field.Store.NO));
        }

        return document;
    }

    private static void AddObject(Document document, IndexMapping mapping, JsonObject source, string prefix, HashSet<string> present)
    {
        foreach (var (key, value) in source)
        {
            var path = prefix + key;
            if (value is JsonObject child)
            {
                AddObject(document, mapping, child, path + ".", present);
                continue;
            }

            var values = value is JsonArray array ? array.Where(v => v is not null).ToList() : value is null ? [] : [value];
            var field = mapping.Find(path) ?? throw new InvalidOperationException($"unmapped test field {path}");
            foreach (var item in values)
            {
                present.Add(path);
                AddValue(document, field, item!);
                foreach (var sub in field.Fields?.Values ?? [])
                {
                    AddValue(document, sub, item!);
                }
            }

            var numeric = values.Where(_ => FieldTypes.IsNumeric(field.Type) || field.Type == FieldType.Date).Select(v => SortValue(field, v!)).ToList();
            if (numeric.Count > 0)
            {
                document.Add(new NumericDocValuesField(LuceneFieldNames.DocValues(path), numeric.Min()));
            }
        }
    }

    private static void AddValue(Document document, FieldMapping field, JsonNode value)
    {
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        switch (field.Type)
        {
            case FieldType.Text:
                document.Add(new TextField(field.Path, text, Field.Store.NO));
                break;
            case FieldType.Keyword:
                if (field.IgnoreAbove is { } limit && text.Length > limit)
                {
                    break;
                }

                document.Add(new StringField(field.Path, text, Field.Store.NO));
                document.Add(new SortedSetDocValuesField(LuceneFieldNames.DocValues(field.Path), new BytesRef(text)));
                break;
            case FieldType.Boolean:
                document.Add(new StringField(field.Path, text, Field.Store.NO));
                document.Add(new SortedSetDocValuesField(LuceneFieldNames.DocValues(field.Path), new BytesRef(text)));
                break;
            case FieldType.Date:
                document.Add(new Int64Field(field.Path, EpochMillis(value), Field.Store.NO));
                break;
            case var type when FieldTypes.IsInteger(type):
                document.Add(new Int64Field(field.Path, long.Parse(text, CultureInfo.InvariantCulture), Field.Store.NO));
                break;
            case var type when FieldTypes.IsFloatingPoint(type):
                var number = double.Parse(text, CultureInfo.InvariantCulture);
                document.Add(new DoubleField(field.Path, type == FieldType.Double ? number : (float)number, Field.Store.NO));
                break;
            default:
                throw new InvalidOperationException($"test layout has no {field.Type}");
        }
    }

    private static long SortValue(FieldMapping field, JsonNode value) => field.Type switch
    {
        FieldType.Date => EpochMillis(value),
        _ when FieldTypes.IsInteger(field.Type) => long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        _ => NumericUtils.DoubleToSortableInt64(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
    };

    private static long EpochMillis(JsonNode value) => value.GetValueKind() == JsonValueKind.Number
        ? value.GetValue<long>()
        : DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
