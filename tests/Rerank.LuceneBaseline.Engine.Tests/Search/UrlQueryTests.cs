using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class UrlQueryTests : IDisposable
{
    // Titles: 1 "apple pie", 2 "banana split", 3 "cherry tree", 4 "apple tree" (two terms each, avgdl 8/4 = 2, and the
    // one-byte norm keeps length 2 exactly): BM25 = ln 2 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / 2)) = ln 2 = 0.6931472.
    private readonly TestIndex _books = Books.Open();

    public void Dispose() => _books.Dispose();

    [Theory]
    // BM25 of "apple" in title: N = 4, df = 2 -> idf ln 2.
    [InlineData("title:apple", new[] { "1", "4" }, 0.6931472)]
    // Without a field every field is searched and the best one counts: the same title score.
    [InlineData("apple", new[] { "1", "4" }, 0.6931472)]
    // A keyword has no norms (length 1) and counts each document once (avgdl 1), so the tf part is 1 and the score is
    // idf, with N the 3 documents that have a tag (not maxDoc 4): ln(1 + 1.5 / 2.5) = ln 1.6.
    [InlineData("tag:food", new[] { "1", "2" }, 0.4700036)]
    // Numbers match as a constant-score term.
    [InlineData("year:2001", new[] { "1", "4" }, 1.0)]
    [InlineData("*:*", new[] { "1", "2", "3", "4" }, 1.0)]
    public void Search_Q_MatchesAndScoresLikeQueryString(string q, string[] ids, double score)
    {
        var response = Search(("q", q));

        Assert.Equal(ids, SearchExecutorTests.Ids(response));
        Assert.All(SearchExecutorTests.Hits(response), h => Assert.Equal(score, SearchAssert.Number(h!["_score"]), 1e-6));
    }

    [Theory]
    [InlineData(new[] { "3", "4" }, "q", "-tag:food")]
    [InlineData(new[] { "4" }, "q", "+title:apple +title:tree")]
    [InlineData(new[] { "4" }, "q", "title:\"apple tree\"")]
    [InlineData(new[] { "1", "2" }, "q", "food", "df", "tag")]
    [InlineData(new[] { "4" }, "q", "apple tree", "default_operator", "AND")]
    [InlineData(new string[0], "q", "year:abc", "lenient", "true")]
    public void Search_QForms_SelectTheRightDocuments(string[] ids, params string[] parameters)
    {
        var url = new (string, string)[parameters.Length / 2];
        for (var i = 0; i < url.Length; i++)
        {
            url[i] = (parameters[2 * i], parameters[(2 * i) + 1]);
        }

        Assert.Equal(ids, SearchExecutorTests.Ids(Search(url)).Order());
    }

    [Fact]
    public void Search_QWithAnUnparsableNumber_FailsTheShard()
    {
        SearchAssert.PhaseError(() => Search(("q", "year:abc")), "query_shard_exception", "failed to create query: For input string: \"abc\"");
    }

    [Theory]
    [InlineData("title:apple AND tag:food", "AND")]
    [InlineData("title:(apple pie)", "title:(apple")]
    [InlineData("title:app*", "title:app*")]
    [InlineData("year:[1 TO 5]", "year:[1")]
    public void Search_QWithUnsupportedSyntax_IsRefusedNamingIt(string q, string token)
    {
        SearchAssert.Error(
            () => Search(("q", q)),
            400,
            "illegal_argument_exception",
            $"the query syntax [{token}] in the [q] parameter is not supported by the embedded engine");
    }

    [Fact]
    public void Count_Q_CountsMatches()
    {
        var parameters = new SearchParameters { Values = new Dictionary<string, string> { ["q"] = "tag:food" }, Path = "/books/_count" };

        Assert.Equal(2, SearchAssert.Number(SearchExecutor.Count([_books.Target], null, parameters, CancellationToken.None)["count"]));
    }

    private JsonObject Search(params (string Name, string Value)[] url) => _books.Search(null, url);
}
