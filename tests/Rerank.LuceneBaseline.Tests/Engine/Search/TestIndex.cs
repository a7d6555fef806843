using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;
using FieldType = Rerank.LuceneBaseline.Engine.Mapping.FieldType;

namespace Rerank.LuceneBaseline.Tests.Engine.Search;

/// <summary>
/// A real Lucene index in a RAMDirectory with documents in the engine's layout (docs/embedded-engine-internals.md),
/// BM25(1.2, 0.75) on writer and searcher, exposed as a <see cref="SearchTarget"/>. Documents are added in order (doc
/// numbers follow it); <c>segmentSize</c> commits a new segment every that many documents.
/// </summary>
internal sealed class TestIndex : IDisposable
{
    private readonly RAMDirectory _directory = new();
    private readonly Analyzer _analyzer = AnalyzerFactory.Create(AnalyzerKind.Standard);
    private readonly DirectoryReader _reader;

    public TestIndex(string name, IndexMapping mapping, IEnumerable<(string Id, string Source)> documents, int maxResultWindow = 10_000, int segmentSize = int.MaxValue)
    {
        var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer)
        {
            Similarity = new BM25Similarity(1.2f, 0.75f),
            MergePolicy = NoMergePolicy.NO_COMPOUND_FILES,
        };
        using (var writer = new IndexWriter(_directory, config))
        {
            var count = 0L;
            foreach (var (id, source) in documents)
            {
                writer.AddDocument(Layout(mapping, id, JsonNode.Parse(source)!.AsObject(), count + 1));
                if (++count % segmentSize == 0)
                {
                    writer.Commit();
                }
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(1.2f, 0.75f) };
        Target = new SearchTarget(name, searcher, mapping, _analyzer, maxResultWindow);
    }

    public SearchTarget Target { get; }

    public int SegmentCount => _reader.Leaves.Count;

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }

    /// <summary>The Lucene document the layout prescribes; <c>_seq_no</c> = n - 1, <c>_version</c> = 1, <c>_primary_term</c> = 1.</summary>
    private static Document Layout(IndexMapping mapping, string id, JsonObject source, long n)
    {
        var document = new Document
        {
            new StringField(LuceneFieldNames.Id, id, Field.Store.YES),
            new StoredField(LuceneFieldNames.Source, Encoding.UTF8.GetBytes(source.ToJsonString())),
            new NumericDocValuesField(LuceneFieldNames.SeqNo, n - 1),
            new NumericDocValuesField(LuceneFieldNames.Version, 1),
            new NumericDocValuesField(LuceneFieldNames.PrimaryTerm, 1),
        };
        foreach (var (path, field) in mapping.FieldsByPath)
        {
            var sourcePath = path;
            foreach (var parent in mapping.FieldsByPath.Values)
            {
                if (parent.Fields?.Values.Any(f => f.Path == path) == true)
                {
                    sourcePath = parent.Path;
                }
            }

            var values = Values(source, sourcePath).ToList();
            if (values.Count > 0)
            {
                AddField(document, field, values);
            }
        }

        return document;
    }

    private static void AddField(Document document, FieldMapping field, List<JsonNode> values)
    {
        var path = field.Path;
        var dv = LuceneFieldNames.DocValues(path);
        switch (field.Type)
        {
            case FieldType.Text:
                foreach (var v in values)
                {
                    document.Add(new TextField(path, Text(v), Field.Store.NO));
                }

                break;
            case FieldType.Keyword:
                foreach (var text in values.Select(Text).Where(t => field.IgnoreAbove is null || t.Length <= field.IgnoreAbove).Distinct())
                {
                    document.Add(new StringField(path, text, Field.Store.NO));
                    document.Add(new SortedSetDocValuesField(dv, new BytesRef(text)));
                }

                break;
            case FieldType.Boolean:
                foreach (var text in values.Select(Text).Distinct())
                {
                    document.Add(new StringField(path, text, Field.Store.NO));
                    document.Add(new SortedSetDocValuesField(dv, new BytesRef(text)));
                }

                break;
            case FieldType.Date:
                var dates = values.Select(v => JsonArgsDate(v, field.Format)).ToList();
                foreach (var d in dates)
                {
                    document.Add(new Int64Field(path, d, Field.Store.NO));
                }

                document.Add(new NumericDocValuesField(dv, dates.Min()));
                foreach (var d in dates.Distinct())
                {
                    document.Add(new SortedSetDocValuesField(LuceneFieldNames.Terms(path), new BytesRef(d.ToString(CultureInfo.InvariantCulture))));
                }

                break;
            case FieldType.DenseVector:
                var floats = values.Select(v => v.GetValue<float>()).ToArray();
                var bytes = new byte[floats.Length * 4];
                for (var i = 0; i < floats.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), floats[i]);
                }

                document.Add(new BinaryDocValuesField(dv, new BytesRef(bytes)));
                break;
            case FieldType.Object:
                break;
            default:
                if (FieldTypes.IsFloatingPoint(field.Type))
                {
                    var doubles = values.Select(v => double.Parse(Text(v), CultureInfo.InvariantCulture)).ToList();
                    foreach (var d in doubles)
                    {
                        document.Add(new DoubleField(path, d, Field.Store.NO));
                    }

                    document.Add(new NumericDocValuesField(dv, NumericUtils.DoubleToSortableInt64(doubles.Min())));
                    foreach (var d in doubles.Distinct())
                    {
                        document.Add(new SortedSetDocValuesField(LuceneFieldNames.Terms(path), new BytesRef(d.ToString("R", CultureInfo.InvariantCulture))));
                    }
                }
                else
                {
                    var longs = values.Select(v => (long)double.Parse(Text(v), CultureInfo.InvariantCulture)).ToList();
                    foreach (var l in longs)
                    {
                        document.Add(new Int64Field(path, l, Field.Store.NO));
                    }

                    document.Add(new NumericDocValuesField(dv, longs.Min()));
                    foreach (var l in longs.Distinct())
                    {
                        document.Add(new SortedSetDocValuesField(LuceneFieldNames.Terms(path), new BytesRef(l.ToString(CultureInfo.InvariantCulture))));
                    }
                }

                break;
        }
    }

    private static long JsonArgsDate(JsonNode value, string? format)
    {
        var text = Text(value);
        return long.TryParse(text, out var millis) ? millis : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    }

    private static string Text(JsonNode value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    /// <summary>The leaf values at a dotted path, arrays flattened (the test's stand-in for SourceValues).</summary>
    private static IEnumerable<JsonNode> Values(JsonNode? node, string path)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                foreach (var v in Values(item, path))
                {
                    yield return v;
                }
            }

            yield break;
        }

        if (path.Length == 0)
        {
            if (node is JsonValue)
            {
                yield return node;
            }

            yield break;
        }

        if (node is not JsonObject obj)
        {
            yield break;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? path : path[..dot];
        var rest = dot < 0 ? string.Empty : path[(dot + 1)..];
        foreach (var v in Values(obj[head], rest))
        {
            yield return v;
        }
    }
}
