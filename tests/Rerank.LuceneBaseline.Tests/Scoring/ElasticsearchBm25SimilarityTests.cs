using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Tests.Scoring;

/// <summary>
/// Scores of <see cref="ElasticsearchBm25Similarity"/> on real Lucene indices against Elasticsearch's published explain
/// example and against the formula worked by hand.
/// </summary>
public sealed class ElasticsearchBm25SimilarityTests
{
    [Fact]
    public void Score_ElasticsearchExplainExample_GivesThePublishedValues()
    {
        // The explain API example of Elasticsearch 8's reference (search-explain.html): "elasticsearch" in document 0 of 5
        // documents with a message, length 3, avgdl 5.4: 1.6943598 = 2.2 (boost) * 1.3862944 (idf) * 0.5555555 (tf).
        // (Elasticsearch 7.0's page shows 1.6943597: Lucene 8.0 rounded the tf before multiplying.)
        using var index = new ProbeIndex(
            new ElasticsearchBm25Similarity(),
            "elasticsearch is cool", "one two three four five six", "one two three four five six",
            "one two three four five six", "one two three four five six");

        var (score, explanation) = index.ScoreAndExplain(new TermQuery(new Term("message", "elasticsearch")), 0);

        Assert.Equal(1.6943598f, score);
        Assert.Equal(score, explanation.Value);
        var bm25 = explanation.GetDetails()[0];
        Assert.Equal("score(freq=1.0), computed as boost * idf * tf from:", bm25.Description);
        var details = bm25.GetDetails();
        Assert.Equal(("boost", 2.2f), (details[0].Description, details[0].Value));
        Assert.Equal("idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:", details[1].Description);
        Assert.Equal(1.3862944f, details[1].Value);
        Assert.Equal([1f, 5f], details[1].GetDetails().Select(d => d.Value));
        Assert.Equal(
            ["n, number of documents containing term", "N, total number of documents with field"],
            details[1].GetDetails().Select(d => d.Description));
        Assert.Equal("tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:", details[2].Description);
        Assert.Equal(0.5555555, details[2].Value, 1e-6);
        Assert.Equal(
            [("freq, occurrences of term within document", 1f), ("k1, term saturation parameter", 1.2f), ("b, length normalization parameter", 0.75f),
             ("dl, length of field", 3f), ("avgdl, average length of field", 5.4f)],
            details[2].GetDetails().Select(d => (d.Description, d.Value)));
    }

    [Fact]
    public void Score_DocumentsWithoutTheField_LeaveNAndAvgdl()
    {
        // Two documents have the field (lengths 2 and 4), two do not: N 2, avgdl 3; "b" is in the second.
        using var index = new ProbeIndex(new ElasticsearchBm25Similarity(), "a c", "b b c c", null, null);

        var score = index.Score(new TermQuery(new Term("message", "b")), 1);

        var idf = Math.Log(1 + ((2 - 1 + 0.5) / (1 + 0.5)));
        var expected = 2.2 * idf * 2 / (2 + (1.2 * (0.25 + (0.75 * 4 / 3.0))));
        Assert.Equal(expected, score, 1e-6);
    }

    [Fact]
    public void Score_LongField_UsesTheRoundedDownLengthAndSaysApproximate()
    {
        // 45 tokens read back as 44; with a second document of 5 tokens, avgdl is 25.
        var longText = "x " + string.Join(' ', Enumerable.Range(0, 44).Select(i => $"w{i}"));
        using var index = new ProbeIndex(new ElasticsearchBm25Similarity(), longText, "y y y y y");

        var (score, explanation) = index.ScoreAndExplain(new TermQuery(new Term("message", "x")), 0);

        var idf = Math.Log(1 + ((2 - 1 + 0.5) / (1 + 0.5)));
        Assert.Equal(2.2 * idf / (1 + (1.2 * (0.25 + (0.75 * 44 / 25.0)))), score, 1e-6);
        var dl = explanation.GetDetails()[0].GetDetails()[2].GetDetails()[3];
        Assert.Equal(("dl, length of field (approximate)", 44f), (dl.Description, dl.Value));
    }

    [Fact]
    public void Score_BoostAndParameters_EnterAsInTheFormula()
    {
        var similarity = new ElasticsearchBm25Similarity(k1: 2f, b: 0f);
        using var index = new ProbeIndex(similarity, "a a a", "a b");

        var score = index.Score(new TermQuery(new Term("message", "a")) { Boost = 3f }, 0);

        // b 0: no length normalisation. idf with n = N = 2.
        var idf = Math.Log(1 + (0.5 / 2.5));
        Assert.Equal(3 * (2 + 1) * idf * 3 / (3 + 2.0), score, 1e-6);
    }

    [Fact]
    public void Score_Phrase_SumsTheTermsIdf()
    {
        using var index = new ProbeIndex(new ElasticsearchBm25Similarity(), "a b c", "a c b", "c");

        var score = index.Score(new PhraseQuery { new Term("message", "a"), new Term("message", "b") }, 0);

        var idf = (2 * Math.Log(1 + ((3 - 2 + 0.5) / (2 + 0.5))));
        var avgdl = 7 / 3.0;
        Assert.Equal(2.2 * idf / (1 + (1.2 * (0.25 + (0.75 * 3 / avgdl)))), score, 1e-6);
    }

    [Fact]
    public void Score_AgreesWithLuceneBm25_OnlyWhereLengthsAndStatisticsAgree()
    {
        // Lengths 1 and 4 survive Lucene 4.8's 1/sqrt norm exactly, and every document has the field, so both
        // similarities compute the same BM25 (both keep the k1 + 1 factor).
        string[] texts = ["a", "a b c d", "b c d e"];
        using var elastic = new ProbeIndex(new ElasticsearchBm25Similarity(), texts);
        using var lucene = new ProbeIndex(new Lucene.Net.Search.Similarities.BM25Similarity(), texts);

        for (var doc = 0; doc < 2; doc++)
        {
            var query = new TermQuery(new Term("message", "a"));
            Assert.Equal(lucene.Score(query, doc), elastic.Score(query, doc), 1e-6);
        }
    }

    [Theory]
    [InlineData(-1f, 0.75f, "illegal k1 value: -1.0, must be a non-negative finite value")]
    [InlineData(float.PositiveInfinity, 0.75f, "illegal k1 value: Infinity, must be a non-negative finite value")]
    [InlineData(1.2f, 1.5f, "illegal b value: 1.5, must be between 0 and 1")]
    [InlineData(1.2f, float.NaN, "illegal b value: NaN, must be between 0 and 1")]
    public void Constructor_OutOfRange_NamesTheParameter(float k1, float b, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new ElasticsearchBm25Similarity(k1, b));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>One text field <c>message</c> per document (null: the document has no message), one segment.</summary>
    private sealed class ProbeIndex : IDisposable
    {
        private readonly RAMDirectory _directory = new();
        private readonly DirectoryReader _reader;
        private readonly IndexSearcher _searcher;

        public ProbeIndex(Lucene.Net.Search.Similarities.Similarity similarity, params string?[] messages)
        {
            using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Standard);
            var config = new IndexWriterConfig(AnalyzerFactory.Version, analyzer) { Similarity = similarity };
            using (var writer = new IndexWriter(_directory, config))
            {
                foreach (var message in messages)
                {
                    var document = new Document { new StringField("id", "x", Field.Store.NO) };
                    if (message is not null)
                    {
                        document.Add(new TextField("message", message, Field.Store.NO));
                    }

                    writer.AddDocument(document);
                }

                writer.ForceMerge(1);
            }

            _reader = DirectoryReader.Open(_directory);
            _searcher = new IndexSearcher(_reader) { Similarity = similarity };
        }

        public float Score(Query query, int doc) => ScoreAndExplain(query, doc).Score;

        public (float Score, Explanation Explanation) ScoreAndExplain(Query query, int doc)
        {
            var hit = _searcher.Search(query, 100).ScoreDocs.Single(h => h.Doc == doc);
            return (hit.Score, _searcher.Explain(query, doc));
        }

        public void Dispose()
        {
            _reader.Dispose();
            _directory.Dispose();
        }
    }
}
