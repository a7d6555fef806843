using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary><c>_search</c> and <c>_count</c> over real HTTP: response shapes, multi-index names, limits and errors.</summary>
public sealed class SearchApiContractTests
{
    private static async Task<EngineServer> BooksAsync()
    {
        var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """
            {"mappings":{"properties":{"title":{"type":"text"},"author":{"type":"keyword"},"year":{"type":"integer"},
                                       "vec":{"type":"dense_vector","dims":2,"similarity":"cosine"}}}}
            """);
        await engine.BulkAsync("/books/_bulk?refresh=true", """
            {"index":{"_id":"1"}}
            {"title":"the quick brown fox","author":"kimchy","year":2001,"vec":[1.0,0.0]}
            {"index":{"_id":"2"}}
            {"title":"the lazy dog","author":"alice","year":1999,"vec":[0.0,1.0]}
            {"index":{"_id":"3"}}
            {"title":"quick quick fox jumps","author":"kimchy","year":2010,"vec":[0.6,0.8]}

            """.ReplaceLineEndings("\n"));
        return engine;
    }

    [Fact]
    public async Task Match_AnswersInTheSearchShape_BestFirst()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"query":{"match":{"title":"quick fox"}}}""");

        Assert.Equal(200, response.StatusCode);
        Shape.AssertMatches("search", response.Json);
        var hits = response.Json["hits"]!["hits"]!.AsArray();
        Assert.Equal(2, (long)response.Json["hits"]!["total"]!["value"]!);
        Assert.Equal("eq", (string?)response.Json["hits"]!["total"]!["relation"]);
        // Document 3 has "quick" twice in a field of four terms; document 1 once in four: 3 scores higher.
        Assert.Equal(["3", "1"], hits.Select(h => (string?)h!["_id"]));
        Assert.Equal((double)hits[0]!["_score"]!, (double)response.Json["hits"]!["max_score"]!);
        Assert.True((double)hits[0]!["_score"]! > (double)hits[1]!["_score"]!);
    }

    [Fact]
    public async Task SortByKeyword_HitsCarrySortValues_AndNoScores()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"sort":[{"author":"asc"},{"year":"desc"}]}""");

        Shape.AssertMatches("search-sorted", response.Json);
        var hits = response.Json["hits"]!["hits"]!.AsArray();
        Assert.Equal(["2", "3", "1"], hits.Select(h => (string?)h!["_id"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["kimchy",2010]"""), hits[1]!["sort"]));
    }

    [Fact]
    public async Task TermsAggregation_CountsByKeyword()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"size":0,"aggs":{"genres":{"terms":{"field":"author"}}}}""");

        Shape.AssertMatches("search-terms-agg", response.Json);
        var buckets = response.Json["aggregations"]!["genres"]!["buckets"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"key":"kimchy","doc_count":2},{"key":"alice","doc_count":1}]"""), buckets));
    }

    [Fact]
    public async Task Knn_CosineScoresAreElasticsearchs()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"knn":{"field":"vec","query_vector":[1.0,0.0],"k":2,"num_candidates":10},"_source":false}""");

        var hits = response.Json["hits"]!["hits"]!.AsArray();
        Assert.Equal(["1", "3"], hits.Select(h => (string?)h!["_id"]));
        // cosine([1,0],[1,0]) = 1 -> (1 + 1) / 2; cosine([1,0],[0.6,0.8]) = 0.6 -> (1 + 0.6) / 2.
        Assert.Equal(1.0, (double)hits[0]!["_score"]!, 6);
        Assert.Equal(0.8, (double)hits[1]!["_score"]!, 6);
    }

    [Fact]
    public async Task Count_WithAQuery_CountsMatches()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_count", """{"query":{"term":{"author":"kimchy"}}}""");

        Shape.AssertMatches("count", response.Json);
        Assert.Equal(2, (long)response.Json["count"]!);
    }

    [Fact]
    public async Task CommaAndWildcardNames_SearchEveryNamedIndex()
    {
        await using var engine = await BooksAsync();
        await engine.PutAsync("/blogs/_doc/9?refresh=true", """{"title":"a quick note"}""");

        var comma = await engine.PostAsync("/books,blogs/_search", """{"query":{"match":{"title":"quick"}}}""");
        var wildcard = await engine.PostAsync("/b*/_search", """{"query":{"match":{"title":"quick"}}}""");

        Assert.Equal(3, (long)comma.Json["hits"]!["total"]!["value"]!);
        Assert.Equal(2, (int)comma.Json["_shards"]!["total"]!);
        Assert.Equal(3, (long)wildcard.Json["hits"]!["total"]!["value"]!);
        Assert.Contains(wildcard.Json["hits"]!["hits"]!.AsArray(), h => (string?)h!["_index"] == "blogs");
    }

    [Fact]
    public async Task MissingIndex_Is404_UnlessIgnoreUnavailable()
    {
        await using var engine = await BooksAsync();

        var missing = await engine.GetAsync("/books,nope/_search");
        var ignored = await engine.GetAsync("/books,nope/_search?ignore_unavailable=true");

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("no such index [nope]", (string?)missing.Json["error"]!["reason"]);
        Assert.Equal(200, ignored.StatusCode);
        Assert.Equal(3, (long)ignored.Json["hits"]!["total"]!["value"]!);
    }

    [Fact]
    public async Task ResultWindow_OverTheLimit_IsRefused()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"from":9995,"size":10}""");

        Assert.True(response.StatusCode == 400, response.Text);
        Assert.Contains("Result window is too large, from + size must be less than or equal to: [10000] but was [10005].",
            response.Json["error"]!["root_cause"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnsupportedQuery_IsIllegalArgumentNamingIt()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"query":{"fuzzy":{"title":"quikc"}}}""");

        Assert.Equal(400, response.StatusCode);
        var rootCause = response.Json["error"]!["root_cause"]![0]!;
        Assert.Equal("illegal_argument_exception", (string?)rootCause["type"]);
        Assert.Contains("[fuzzy]", (string?)rootCause["reason"]);
    }

    [Fact]
    public async Task UnknownQuery_IsParsingException()
    {
        await using var engine = await BooksAsync();

        var response = await engine.PostAsync("/books/_search", """{"query":{"fuzzzy":{"title":"x"}}}""");

        Assert.Equal(400, response.StatusCode);
        var rootCause = response.Json["error"]!["root_cause"]![0]!;
        Assert.Equal("parsing_exception", (string?)rootCause["type"]);
        Assert.Equal("unknown query [fuzzzy] did you mean [fuzzy]?", (string?)rootCause["reason"]);
    }

    [Fact]
    public async Task UrlTimeout_ReachesTheSearch_AndIsValidatedThere()
    {
        await using var engine = await BooksAsync();

        var valid = await engine.GetAsync("/books/_search?timeout=1s");
        var invalid = await engine.GetAsync("/books/_search?timeout=abc");
        var masterTimeout = await engine.GetAsync("/books/_search?master_timeout=1s");

        Assert.Equal(200, valid.StatusCode);
        Assert.Equal(400, invalid.StatusCode);
        Assert.Equal(400, masterTimeout.StatusCode);
        Assert.Contains("[master_timeout]", (string?)masterTimeout.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task ShardFailure_NamesTheIndexByItsRealUuid()
    {
        await using var engine = await BooksAsync();
        var uuid = (string?)(await engine.GetAsync("/_cat/indices/books?format=json&h=uuid")).Json[0]!["uuid"];

        // An unknown analyzer fails while the index builds its query (query_shard_exception): "all shards failed".
        var response = await engine.PostAsync("/books/_search", """{"query":{"match":{"title":{"query":"fox","analyzer":"nope"}}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("search_phase_execution_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("query_shard_exception", (string?)response.Json["error"]!["root_cause"]![0]!["type"]);
        Assert.Equal(uuid, (string?)response.Json["error"]!["root_cause"]![0]!["index_uuid"]);
        Assert.Equal(uuid, (string?)response.Json["error"]!["failed_shards"]![0]!["reason"]!["index_uuid"]);
    }

    [Fact]
    public async Task Explain_ElasticsearchReferenceExample_SameScoreAndBm25Explanation()
    {
        // The explain example of Elasticsearch 8's reference: "elasticsearch" once in a 3-term message, 5 documents with a
        // message, 27 terms in all (avgdl 5.4). Elasticsearch answers 1.6943598 = 2.2 * 1.3862944 * 0.5555555.
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/my-index-000001", """{"mappings":{"properties":{"message":{"type":"text"}}}}""");
        await engine.BulkAsync("/my-index-000001/_bulk?refresh=true", """
            {"index":{"_id":"0"}}
            {"message":"elasticsearch is cool"}
            {"index":{"_id":"1"}}
            {"message":"one two three four five six"}
            {"index":{"_id":"2"}}
            {"message":"one two three four five six"}
            {"index":{"_id":"3"}}
            {"message":"one two three four five six"}
            {"index":{"_id":"4"}}
            {"message":"one two three four five six"}

            """.ReplaceLineEndings("\n"));

        var response = await engine.PostAsync("/my-index-000001/_search", """{"explain":true,"query":{"match":{"message":"elasticsearch"}}}""");

        var hit = response.Json["hits"]!["hits"]![0]!;
        Assert.Equal(1.6943598f, (float)(double)hit["_score"]!);
        Assert.Equal("weight(message:elasticsearch in 0) [PerFieldSimilarity], result of:", (string?)hit["_explanation"]!["description"]);
        var score = hit["_explanation"]!["details"]![0]!;
        Assert.Equal("score(freq=1.0), computed as boost * idf * tf from:", (string?)score["description"]);
        Assert.Equal(
            ["boost", "idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:", "tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:"],
            score["details"]!.AsArray().Select(d => (string?)d!["description"]));
        Assert.Equal(5.4f, (float)(double)score["details"]![2]!["details"]![4]!["value"]!);
    }
}
