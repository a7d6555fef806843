using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Search;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Tests.Indexing;

public sealed class Bm25IndexTests : IDisposable
{
    // Field lengths 1, 4 and 16 are exact under Lucene's one-byte length norm (1/sqrt(len) is a power of two),
    // so the plain formula below must match to float precision.
    private static readonly BeirDocument[] Documents =
    [
        new("d1", "", "apple"),
        new("d2", "", "apple apple banana cherry"),
        new("d3", "", "banana " + string.Join(' ', Enumerable.Range(0, 15).Select(i => "filler" + i))),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Search_TwoTermQuery_ScoresEqualPlainBm25Formula()
    {
        using var index = OpenOrBuild(Documents, new Bm25IndexOptions());

        var hits = index.Search("apple banana", 10);

        // N = 3 docs, lengths 1, 4, 16, avgdl = 21/3 = 7; df(apple) = 2, df(banana) = 2.
        const double avgdl = 21.0 / 3.0;
        var expected = new Dictionary<string, double>
        {
            ["d1"] = Bm25(tf: 1, dl: 1, avgdl, df: 2, n: 3),
            ["d2"] = Bm25(tf: 2, dl: 4, avgdl, df: 2, n: 3) + Bm25(tf: 1, dl: 4, avgdl, df: 2, n: 3),
            ["d3"] = Bm25(tf: 1, dl: 16, avgdl, df: 2, n: 3),
        };
        Assert.Equal(["d2", "d1", "d3"], hits.Select(h => h.DocumentId));
        foreach (var hit in hits)
        {
            Assert.Equal(expected[hit.DocumentId], hit.Score, 1e-5);
        }
    }

    [Fact]
    public void Search_CustomK1AndB_UsesThemAtSearchTime()
    {
        var options = new Bm25IndexOptions { K1 = 0.9f, B = 0.4f };
        using var index = OpenOrBuild(Documents, options);

        var d2 = Assert.Single(index.Search("cherry", 10));

        Assert.Equal("d2", d2.DocumentId);
        Assert.Equal(Bm25(tf: 1, dl: 4, avgdl: 7, df: 1, n: 3, k1: 0.9, b: 0.4), d2.Score, 1e-5);
    }

    [Fact]
    public void Search_RepeatedQueryTerm_CountsEachOccurrenceLikeAMatchQuery()
    {
        using var index = OpenOrBuild(Documents, new Bm25IndexOptions());

        var once = index.Search("cherry", 10)[0].Score;
        var twice = index.Search("cherry CHERRY", 10)[0].Score;

        Assert.Equal(2 * Bm25(tf: 1, dl: 4, avgdl: 7, df: 1, n: 3), twice, 1e-5);
        Assert.Equal(2 * once, twice, 1e-5);
    }

    [Fact]
    public void Search_FlatMode_JoinsTitleAndText()
    {
        BeirDocument[] documents = [new("t", "apple", "banana cherry date"), new("u", "", "egg")];
        using var index = OpenOrBuild(documents, new Bm25IndexOptions());

        var hit = Assert.Single(index.Search("apple", 10));

        // One field of length 1 + 3 = 4 for "t", 1 for "u": avgdl = 5/2.
        Assert.Equal("t", hit.DocumentId);
        Assert.Equal(Bm25(tf: 1, dl: 4, avgdl: 2.5, df: 1, n: 2), hit.Score, 1e-5);
    }

    [Fact]
    public void Search_MultiFieldMode_SumsIndependentFieldScores()
    {
        BeirDocument[] documents = [new("t", "apple", "apple banana cherry date"), new("u", "egg", "egg")];
        using var index = OpenOrBuild(documents, new Bm25IndexOptions());

        var hit = Assert.Single(index.Search("apple", 10, Bm25SearchMode.MultiField));

        // title: lengths 1 and 1 (avgdl 1); text: lengths 4 and 1 (avgdl 2.5); apple in one doc of two in each.
        var expected = Bm25(tf: 1, dl: 1, avgdl: 1, df: 1, n: 2) + Bm25(tf: 1, dl: 4, avgdl: 2.5, df: 1, n: 2);
        Assert.Equal(expected, hit.Score, 1e-5);
    }

    [Fact]
    public void Search_OnlyTitleField_IgnoresText()
    {
        BeirDocument[] documents = [new("t", "apple", "banana"), new("u", "banana", "apple")];
        using var index = OpenOrBuild(documents, new Bm25IndexOptions { Fields = [CorpusFields.Title] });

        Assert.Equal(["t"], index.Search("apple", 10).Select(h => h.DocumentId));
    }

    [Fact]
    public void Search_QueryWithoutTerms_ReturnsNothing()
    {
        using var index = OpenOrBuild(Documents, new Bm25IndexOptions());

        Assert.Empty(index.Search(" ... ", 10));
    }

    [Fact]
    public void Search_TopK_CutsTheRanking()
    {
        using var index = OpenOrBuild(Documents, new Bm25IndexOptions());

        Assert.Equal(["d2", "d1"], index.Search("apple banana", 2).Select(h => h.DocumentId));
    }

    [Fact]
    public void SearchAll_Parallel_GivesEachQueryItsOwnRanking()
    {
        using var index = OpenOrBuild(Documents, new Bm25IndexOptions());
        BeirQuery[] queries = [new("q1", "cherry"), new("q2", "filler3"), new("q3", "apple")];

        // q3: tf 2 in 4 tokens (d2) outscores tf 1 in 1 token (d1) at avgdl 7: 4.4/2.814 > 2.2/1.429.
        var run = index.SearchAll(queries, 10, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["d2"], run["q1"].Select(h => h.DocumentId));
        Assert.Equal(["d3"], run["q2"].Select(h => h.DocumentId));
        Assert.Equal(["d2", "d1"], run["q3"].Select(h => h.DocumentId));
    }

    [Fact]
    public void OpenOrBuild_SameCorpusAndSettings_ReusesIndex()
    {
        using (var first = OpenOrBuild(Documents, new Bm25IndexOptions()))
        {
            Assert.Equal(IndexOpenStatus.Built, first.Status);
        }

        // The document source must not be read when the index is reused.
        using var second = Bm25Index.OpenOrBuild(IndexPath, CorpusPath(), ThrowingDocuments(0), new Bm25IndexOptions());

        Assert.Equal(IndexOpenStatus.Reused, second.Status);
        Assert.Equal(3, second.DocumentCount);
        Assert.Equal(new HashSet<string> { "d1", "d2", "d3" }, second.DocumentIds);
    }

    [Fact]
    public void OpenOrBuild_SearchTimeParametersChanged_StillReuses()
    {
        OpenOrBuild(Documents, new Bm25IndexOptions()).Dispose();

        using var index = OpenOrBuild(Documents, new Bm25IndexOptions { K1 = 2f, B = 0.1f });

        Assert.Equal(IndexOpenStatus.Reused, index.Status);
    }

    [Fact]
    public void OpenOrBuild_CorpusContentChanged_Rebuilds()
    {
        OpenOrBuild(Documents, new Bm25IndexOptions()).Dispose();
        BeirDocument[] changed = [.. Documents, new("d4", "", "durian")];

        using var index = OpenOrBuild(changed, new Bm25IndexOptions(), corpusContent: "changed corpus bytes");

        Assert.Equal(IndexOpenStatus.Rebuilt, index.Status);
        Assert.Equal(4, index.DocumentCount);
        Assert.Equal("d4", Assert.Single(index.Search("durian", 10)).DocumentId);
    }

    [Theory]
    [InlineData("separator")]
    [InlineData("fields")]
    [InlineData("analyzer")]
    [InlineData("scoring")]
    public void OpenOrBuild_IndexSettingChanged_Rebuilds(string setting)
    {
        OpenOrBuild(Documents, new Bm25IndexOptions()).Dispose();
        var options = setting switch
        {
            "separator" => new Bm25IndexOptions { Separator = " | " },
            "fields" => new Bm25IndexOptions { Fields = [CorpusFields.Text] },
            "scoring" => new Bm25IndexOptions { Scoring = Rerank.LuceneBaseline.Scoring.Bm25Scoring.Elasticsearch },
            _ => new Bm25IndexOptions { Analyzer = Rerank.LuceneBaseline.Analysis.AnalyzerKind.Cjk },
        };

        using var index = OpenOrBuild(Documents, options);

        Assert.Equal(IndexOpenStatus.Rebuilt, index.Status);
    }

    [Fact]
    public void OpenOrBuild_SourceFailsMidway_CommitsNothing()
    {
        File.WriteAllText(CorpusPath(), "corpus");

        Assert.Throws<InvalidDataException>(() => Bm25Index.OpenOrBuild(IndexPath, CorpusPath(), ThrowingDocuments(2), new Bm25IndexOptions()));
        using var retry = OpenOrBuild(Documents, new Bm25IndexOptions(), corpusContent: "corpus");

        Assert.Equal(IndexOpenStatus.Built, retry.Status);
    }

    [Fact]
    public void OpenOrBuild_InvalidOptions_ReportsEveryProblem()
    {
        var options = new Bm25IndexOptions { Fields = ["body"], K1 = -1, B = 2 };

        var error = Assert.Throws<ArgumentException>(() => OpenOrBuild(Documents, options));

        Assert.Contains("'body'", error.Message);
        Assert.Contains("k1", error.Message);
        Assert.Contains("b must be between 0 and 1", error.Message);
    }

    /// <summary>Lucene 4.8's BM25 per term: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)).</summary>
    private static double Bm25(double tf, double dl, double avgdl, double df, double n, double k1 = 1.2, double b = 0.75)
    {
        var idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
        return idf * tf * (k1 + 1) / (tf + (k1 * (1 - b + (b * dl / avgdl))));
    }

    private string IndexPath => Path.Combine(_temp.Path, "index");

    private string CorpusPath() => Path.Combine(_temp.Path, "corpus.jsonl");

    private Bm25Index OpenOrBuild(IReadOnlyList<BeirDocument> documents, Bm25IndexOptions options, string corpusContent = "corpus")
    {
        File.WriteAllText(CorpusPath(), corpusContent);
        return Bm25Index.OpenOrBuild(IndexPath, CorpusPath(), documents, options);
    }

    private static IEnumerable<BeirDocument> ThrowingDocuments(int after)
    {
        for (var i = 0; i < after; i++)
        {
            yield return Documents[i];
        }

        throw new InvalidDataException("source failed");
    }
}
