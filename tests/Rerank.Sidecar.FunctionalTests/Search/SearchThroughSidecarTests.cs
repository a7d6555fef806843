using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using HttpMethod = System.Net.Http.HttpMethod;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// Searches through the real sidecar in front of the embedded engine: the reranked order is the one an independent
/// scoring of the same passages gives, pages stay ordered, the rest of the answer is the first stage's, and every
/// skip and fallback answers what the cluster would have with its header.
/// </summary>
public sealed class SearchThroughSidecarTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    private const string Query = """{"match":{"text":"river"}}""";

    private SearchStack Stack => fixture.Stack;

    /// <summary>The first stage straight from the engine: the ids and scores of the top <paramref name="size"/> hits.</summary>
    private async Task<List<(string Id, double Score)>> FirstStageAsync(string index, int size)
    {
        var answer = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, $"/{index}/_search", $$$$"""{"query":{{{{Query}}}},"size":{{{{size}}}},"_source":false}""");
        return [.. answer["hits"]!["hits"]!.AsArray().Select(h => ((string)h!["_id"]!, (double)h["_score"]!))];
    }

    /// <summary>The expected reranked window: first-stage candidates sorted by independent logits, ties in first-stage order.</summary>
    private async Task<(List<string> Ids, Dictionary<string, float> Logits)> ExpectedWindowAsync(int window)
    {
        var first = await FirstStageAsync("books", window);
        var passages = SearchStack.Passages(SearchFixture.Documents);
        var logits = Stack.IndependentLogits("river", [.. first.Select(f => passages[f.Id])]);
        var byId = first.Select((f, i) => (f.Id, Logit: logits[i])).ToDictionary(x => x.Id, x => x.Logit);
        return ([.. first.Select((f, i) => (f.Id, i)).OrderByDescending(x => logits[x.i]).Select(x => x.Id)], byId);
    }

    [Fact]
    public async Task Search_RerankedWindow_EqualsSortingTheFirstStageByIndependentLogits()
    {
        var (expected, logits) = await ExpectedWindowAsync(20);
        var first = await FirstStageAsync("books", 20);
        // The model reorders this window (else the comparison below would not tell a rerank from a pass-through).
        Assert.NotEqual(first.Select(f => f.Id), expected);

        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search",
            $$$$"""{"query":{{{{Query}}}},"size":20,"ext":{"rerank":{"window":20,"explain":true}}}""");

        using (response)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
            Assert.Equal(Stack.ModelId, SearchStack.Header(response, "X-Rerank-Model"));
            Assert.Equal("0", SearchStack.Header(response, "X-Rerank-Missing"));
        }

        Assert.Equal(expected, SearchStack.Ids(answer!));
        var hits = answer!["hits"]!["hits"]!.AsArray();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i]!;
            var id = (string)hit["_id"]!;
            var sigmoid = 1 / (1 + Math.Exp(-logits[id]));
            Assert.Equal(sigmoid, (double)hit["_score"]!, 3);
            var explain = hit["_rerank"]!;
            Assert.Equal(i + 1, (int)explain["rank"]!);
            Assert.Equal(first.FindIndex(f => f.Id == id) + 1, (int)explain["first_stage_rank"]!);
            Assert.Equal(first.Single(f => f.Id == id).Score, (double)explain["first_stage_score"]!, 4);
            Assert.Equal(logits[id], (double)explain["logit"]!, 2);
            Assert.Equal(Stack.ModelId, (string)explain["model"]!);
            // The user asked for no fields: the stored rerank values are not shown; _source is the document's.
            Assert.Null(hit["fields"]);
            Assert.NotNull(hit["_source"]!["title"]);
        }

        Assert.Equal((double)hits[0]!["_score"]!, (double)answer["hits"]!["max_score"]!, 6);
    }

    [Fact]
    public async Task Search_DeepPages_ConcatenateToTheWindowThenFirstStageOrder()
    {
        var (window, _) = await ExpectedWindowAsync(10);
        var first = await FirstStageAsync("books", SearchFixture.Documents);
        var expected = window.Concat(first.Skip(10).Select(f => f.Id)).ToList();

        var seen = new List<string>();
        for (var from = 0; from < SearchFixture.Documents; from += 4)
        {
            var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search",
                $$$$"""{"query":{{{{Query}}}},"from":{{{{from}}}},"size":4}""");
            using (response)
            {
                Assert.Equal(200, (int)status);
                Assert.Equal(from < 10 ? "applied" : "skipped:beyond_window", SearchStack.Header(response, "X-Rerank"));
            }

            seen.AddRange(SearchStack.Ids(answer!));
        }

        Assert.Equal(expected, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Search_AggregationsTotalsAndHighlights_AreTheFirstStages()
    {
        const string Rest = """
            "size":5,"aggs":{"genres":{"terms":{"field":"genre"}}},"highlight":{"fields":{"text":{}}},"_source":["title"]
            """;
        var direct = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, "/books/_search", $$$$"""{"query":{{{{Query}}}},{{{{Rest}}}}}""");

        var (_, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search",
            $$$$"""{"query":{{{{Query}}}},{{{{Rest}}}},"ext":{"rerank":{"window":20}}}""");

        using (response)
        {
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
        }

        Assert.True(JsonNode.DeepEquals(direct["aggregations"], answer!["aggregations"]), answer["aggregations"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(direct["hits"]!["total"], answer["hits"]!["total"]));
        Assert.Equal(30, (int)answer["hits"]!["total"]!["value"]!);
        var hits = answer["hits"]!["hits"]!.AsArray();
        Assert.Equal(5, hits.Count);
        foreach (var hit in hits)
        {
            Assert.Contains("<em>river</em>", (string)hit!["highlight"]!["text"]![0]!, StringComparison.Ordinal);
            Assert.Equal(["title"], hit["_source"]!.AsObject().Select(p => p.Key));
        }
    }

    [Fact]
    public async Task Search_OfficialClient_ParsesRerankedAnswers_WithAndWithoutExplain()
    {
        var settings = new ElasticsearchClientSettings(Stack.SidecarUrl).DisableDirectStreaming().RequestTimeout(TimeSpan.FromMinutes(2));
        var client = new ElasticsearchClient(settings);

        var typed = await client.SearchAsync<Book>(
            s => s.Indices("books").Size(5).Query(q => q.Match(m => m.Field("text").Query("river"))), TestContext.Current.CancellationToken);

        Assert.True(typed.IsValidResponse, typed.DebugInformation);
        var (window, _) = await ExpectedWindowAsync(10);
        Assert.Equal(window.Take(5), typed.Hits.Select(h => h.Id));
        Assert.All(typed.Hits, h => Assert.False(string.IsNullOrEmpty(h.Source!.Title)));
        Assert.Equal(30, typed.Total);

        var (_, explained, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search",
            $$$$"""{"query":{{{{Query}}}},"size":5,"ext":{"rerank":{"explain":true}}}""");
        using (response)
        {
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
        }

        using var bytes = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(explained!.ToJsonString()));
        var parsed = client.ElasticsearchClientSettings.RequestResponseSerializer.Deserialize<SearchResponse<Book>>(bytes);
        Assert.Equal(window.Take(5), parsed.Hits.Select(h => h.Id));
        Assert.Equal(SearchStack.Ids(explained), parsed.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task Search_NotEnabledIndex_StripsExtRerank_AndSaysSkipped()
    {
        var direct = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, "/plain/_search", $$$$"""{"query":{{{{Query}}}}}""");

        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/plain/_search",
            $$$$"""{"query":{{{{Query}}}},"ext":{"rerank":{"window":5}}}""");
        var (_, untouched, plainResponse) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/plain/_search", $$$$"""{"query":{{{{Query}}}}}""");

        using (response)
        using (plainResponse)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal("skipped:not_enabled", SearchStack.Header(response, "X-Rerank"));
            Assert.Equal(string.Empty, SearchStack.Header(plainResponse, "X-Rerank"));
        }

        Assert.Equal(SearchStack.Ids(direct), SearchStack.Ids(answer!));
        Assert.Equal(SearchStack.Ids(direct), SearchStack.Ids(untouched!));
    }

    [Fact]
    public async Task Search_BadExtRerank_IsAnElasticsearchShaped400()
    {
        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search",
            $$$$"""{"query":{{{{Query}}}},"ext":{"rerank":{"window":0}}}""");

        using (response)
        {
            Assert.Equal(400, (int)status);
        }

        Assert.Equal("illegal_argument_exception", (string)answer!["error"]!["type"]!);
        Assert.Equal("illegal_argument_exception", (string)answer["error"]!["root_cause"]![0]!["type"]!);
        Assert.Equal(400, (int)answer["status"]!);
    }

    [Theory]
    [InlineData("novectors", "fallback:missing_vectors")]
    [InlineData("othermodel", "fallback:model_not_loaded")]
    public async Task Search_UnusableModelOrVectors_AnswersTheFirstStage(string index, string header)
    {
        var direct = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, $"/{index}/_search", $$$$"""{"query":{{{{Query}}}},"size":7}""");

        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, $"/{index}/_search", $$$$"""{"query":{{{{Query}}}},"size":7}""");

        using (response)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal(header, SearchStack.Header(response, "X-Rerank"));
        }

        Assert.Equal(SearchStack.Ids(direct), SearchStack.Ids(answer!));
        Assert.True(JsonNode.DeepEquals(direct["hits"]!["hits"], answer!["hits"]!["hits"]));
    }

    [Fact]
    public async Task Search_FirstStageRefused_ReturnsTheClustersError()
    {
        // A query the cluster refuses (an unknown match parameter) still has query text, so the first stage is sent.
        const string Body = """{"query":{"match":{"text":{"query":"river","no_such_option":1}}}}""";
        var (directStatus, direct, directResponse) = await SearchStack.SendAsync(Stack.Engine, HttpMethod.Post, "/books/_search", Body);
        directResponse.Dispose();

        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search", Body);

        using (response)
        {
            Assert.Equal(400, (int)directStatus);
            Assert.Equal(directStatus, status);
            Assert.Equal("fallback:upstream_error", SearchStack.Header(response, "X-Rerank"));
        }

        Assert.Equal((string)direct!["error"]!["type"]!, (string)answer!["error"]!["type"]!);
    }

    [Fact]
    public async Task Search_SortByField_IsSkipped_WithTheClustersAnswer()
    {
        const string Body = """{"query":{"match":{"text":"river"}},"sort":[{"genre":"asc"}],"size":6}""";
        var direct = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, "/books/_search", Body);

        var (_, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books/_search", Body);

        using (response)
        {
            Assert.Equal("skipped:sort", SearchStack.Header(response, "X-Rerank"));
        }

        Assert.True(JsonNode.DeepEquals(direct["hits"]!["hits"], answer!["hits"]!["hits"]));
    }

    [Fact]
    public async Task Search_IndicesWithDifferentConfigs_FallBackWithConfigError()
    {
        var direct = await SearchStack.OkAsync(Stack.Engine, HttpMethod.Post, "/books,othermodel/_search", $$$$"""{"query":{{{{Query}}}},"size":6}""");

        var (status, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Post, "/books,othermodel/_search",
            $$$$"""{"query":{{{{Query}}}},"size":6,"ext":{"rerank":{"window":5}}}""");

        using (response)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal("fallback:config_error", SearchStack.Header(response, "X-Rerank"));
        }

        Assert.True(JsonNode.DeepEquals(direct["hits"]!["hits"], answer!["hits"]!["hits"]));
    }

    [Fact]
    public async Task Search_Concurrent_EveryAnswerIsTheSameRerank()
    {
        var (expected, _) = await ExpectedWindowAsync(10);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            var (_, answer, response) = await SearchStack.SendAsync(Stack.Sidecar, HttpMethod.Get, "/books/_search",
                $$$$"""{"query":{{{{Query}}}},"size":10}""");
            using (response)
            {
                return (Header: SearchStack.Header(response, "X-Rerank"), Ids: SearchStack.Ids(answer!));
            }
        }));

        Assert.All(answers, a =>
        {
            Assert.Equal("applied", a.Header);
            Assert.Equal(expected, a.Ids);
        });
    }

    internal sealed class Book
    {
        public string? Title { get; set; }

        public string? Text { get; set; }
    }
}
