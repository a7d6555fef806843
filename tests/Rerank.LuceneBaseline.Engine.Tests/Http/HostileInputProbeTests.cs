using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// The classes of hostile input a held-out probe of the engine found after issue 9's fixes (one test per class), over
/// real HTTP against an engine on 127.0.0.1: each must answer Elasticsearch's client error or a bounded result, never a
/// 500 or a request that holds a thread for minutes.
/// </summary>
public sealed class HostileInputProbeTests
{
    [Fact]
    public async Task SourceFilter_ThousandsOfStarsInOnePattern_AnswersQuicklyAsOneStar()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs/_doc/1?refresh=true", """{"alpha":1,"beta":2,"gamma_x":3}""");

        // 5,000 stars then "a": a state of the source-filter automaton held a position per star, and each step was
        // quadratic in them (over 30 s). A run of stars matches what one star matches, so the answer is that of "*a".
        var body = new JsonObject { ["_source"] = new JsonArray(new string('*', 5_000) + "a") }.ToJsonString();
        var watch = Stopwatch.StartNew();
        var response = await engine.PostAsync("/docs/_search", body);
        watch.Stop();

        Assert.Equal(200, response.StatusCode);
        var source = response.Json["hits"]!["hits"]![0]!["_source"]!.AsObject();
        Assert.Equal(["alpha", "beta"], source.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Highlight_NumberOfFragmentsAtIntMax_Is200WithTheFragment()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", """{"mappings":{"properties":{"t":{"type":"text"}}}}""");
        await engine.PutAsync("/docs/_doc/1?refresh=true", """{"t":"hello world"}""");

        // Lucene's fragment queue was sized by number_of_fragments: int.MaxValue was a 500 ("maxSize must be <=
        // 2147483391"), and 100,000,000 an 800 MB allocation per field. Any count past the text's fragments selects the
        // same fragments.
        var response = await engine.PostAsync(
            "/docs/_search",
            """{"query":{"match":{"t":"hello"}},"highlight":{"fields":{"t":{"number_of_fragments":2147483647}}}}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("<em>hello</em> world", (string?)response.Json["hits"]!["hits"]![0]!["highlight"]!["t"]![0]);
    }

    [Fact]
    public async Task Index_FieldNameOverLucenesTermLimit_Is400AndNothingIsWritten()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", null);
        var name = new string('f', 40_000);

        // A field name over 32,766 UTF-8 bytes becomes an immense term of the field-names field: Lucene refuses the
        // document (IllegalArgumentException), which was a 500. Elasticsearch answers such a document 400.
        var single = await engine.PutAsync("/docs/_doc/1", new JsonObject { [name] = 1 }.ToJsonString());
        var bulk = await engine.BulkAsync(
            "/docs/_bulk?refresh=true",
            "{\"index\":{\"_id\":\"2\"}}\n" + new JsonObject { [name] = 1 }.ToJsonString() + "\n{\"index\":{\"_id\":\"3\"}}\n{\"ok\":1}\n");
        var first = await engine.GetAsync("/docs/_doc/1");
        var count = await engine.GetAsync("/docs/_count");

        Assert.Equal(400, single.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)single.Json["error"]!["type"]);
        Assert.StartsWith(
            "Document contains at least one immense term in field=\"_field_names\" (whose UTF8 encoding is longer than the max length 32766)",
            (string?)single.Json["error"]!["reason"],
            StringComparison.Ordinal);
        Assert.Equal(200, bulk.StatusCode);
        Assert.Equal(400, (int?)bulk.Json["items"]![0]!["index"]!["status"]);
        Assert.Equal("illegal_argument_exception", (string?)bulk.Json["items"]![0]!["index"]!["error"]!["type"]);
        Assert.Equal(201, (int?)bulk.Json["items"]![1]!["index"]!["status"]);
        Assert.Equal(404, first.StatusCode);
        Assert.Equal(1, (int?)count.Json["count"]);
    }

    [Theory]
    [InlineData(1_024, 200)]
    [InlineData(1_025, 400)]
    public async Task MatchPhrase_TermsAgainstMaxClauseCount_AreBoundedAsBooleanClauses(int terms, int status)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", """{"mappings":{"properties":{"t":{"type":"text"}}}}""");
        await engine.PutAsync("/docs/_doc/1?refresh=true", """{"t":"w0 w1"}""");
        var words = string.Join(' ', Enumerable.Range(0, terms).Select(i => $"w{i}"));

        // Lucene 9 counts each term of a phrase against maxClauseCount; a phrase of 200,000 terms ran for minutes.
        var body = await engine.PostAsync("/docs/_search", new JsonObject { ["query"] = new JsonObject { ["match_phrase"] = new JsonObject { ["t"] = words } } }.ToJsonString());
        var url = await engine.GetAsync("/docs/_search?q=" + Uri.EscapeDataString($"t:\"{words}\""));

        Assert.Equal(status, body.StatusCode);
        Assert.Equal(status, url.StatusCode);
        if (status == 400)
        {
            // The shard's query_shard_exception "failed to create query: ..." caused by Lucene's TooManyClauses.
            foreach (var response in new[] { body, url })
            {
                Assert.Equal("query_shard_exception", (string?)response.Json["error"]!["root_cause"]![0]!["type"]);
                Assert.Equal("failed to create query: maxClauseCount is set to 1024", (string?)response.Json["error"]!["root_cause"]![0]!["reason"]);
                Assert.Contains("\"type\":\"too_many_clauses\"", response.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Aggregations_PastTheSearchTimeout_AnswerTimedOutWithEveryAggregation()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", """{"mappings":{"properties":{"k":{"type":"keyword"}}}}""");
        var bulk = new StringBuilder();
        for (var i = 0; i < 5_000; i++)
        {
            bulk.Append("{\"index\":{}}\n{\"k\":\"v").Append(i).Append("\"}\n");
        }

        await engine.BulkAsync("/docs/_bulk?refresh=true", bulk.ToString());
        var aggregations = new JsonObject();
        for (var i = 0; i < 3_000; i++)
        {
            aggregations[$"a{i}"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "k", ["size"] = 1 } };
        }

        // 3,000 terms aggregations over 5,000 values were computed after the query phase with no bound (the probe's
        // 1,000 over 20,000 values ran for minutes and grew to 8 GB). They now share the search's time bound: past
        // the request's timeout the search answers timed_out, as Elasticsearch does, with every aggregation present.
        var watch = Stopwatch.StartNew();
        var response = await engine.PostAsync(
            "/docs/_search",
            new JsonObject { ["size"] = 0, ["timeout"] = "200ms", ["aggs"] = aggregations }.ToJsonString());
        watch.Stop();

        Assert.Equal(200, response.StatusCode);
        Assert.True((bool?)response.Json["timed_out"]);
        Assert.Equal(3_000, response.Json["aggregations"]!.AsObject().Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task TermsAggregation_OneIndex_KeepsSizeBucketsAndCountsTheRest()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", """{"mappings":{"properties":{"k":{"type":"keyword"}}}}""");

        // a x1, b x2, c x3, d x4: by count, the best two are d and c; the other 3 documents are a's and b's.
        var bulk = new StringBuilder();
        foreach (var (value, times) in new[] { ("a", 1), ("b", 2), ("c", 3), ("d", 4) })
        {
            for (var i = 0; i < times; i++)
            {
                bulk.Append("{\"index\":{}}\n{\"k\":\"").Append(value).Append("\"}\n");
            }
        }

        await engine.BulkAsync("/docs/_bulk?refresh=true", bulk.ToString());
        var response = await engine.PostAsync("/docs/_search", """{"size":0,"aggs":{"t":{"terms":{"field":"k","size":2},"aggs":{"n":{"value_count":{"field":"k"}}}}}}""");

        Assert.Equal(200, response.StatusCode);
        var terms = response.Json["aggregations"]!["t"]!;
        Assert.Equal(3, (long?)terms["sum_other_doc_count"]);
        Assert.Equal(["d", "c"], terms["buckets"]!.AsArray().Select(b => (string?)b!["key"]));
        Assert.Equal([4L, 3L], terms["buckets"]!.AsArray().Select(b => (long?)b!["n"]!["value"] ?? -1));
    }

    [Theory]
    [InlineData(65, 200)] // 65,000 buckets
    [InlineData(66, 400)] // 66,000 buckets: past search.max_buckets (65,536)
    public async Task Aggregations_MoreBucketsThanMaxBuckets_Are400TooManyBuckets(int siblings, int status)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs", """{"mappings":{"properties":{"k":{"type":"keyword"}}}}""");
        var bulk = new StringBuilder();
        for (var i = 0; i < 1_000; i++)
        {
            bulk.Append("{\"index\":{}}\n{\"k\":\"v").Append(i).Append("\"}\n");
        }

        await engine.BulkAsync("/docs/_bulk?refresh=true", bulk.ToString());
        var aggregations = new JsonObject();
        for (var i = 0; i < siblings; i++)
        {
            aggregations[$"a{i}"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "k", ["size"] = 1_000 } };
        }

        var response = await engine.PostAsync("/docs/_search", new JsonObject { ["size"] = 0, ["aggs"] = aggregations }.ToJsonString());

        // Elasticsearch 8.7+ (elastic/elasticsearch#95304): 400, the shards' too_many_buckets_exception with max_buckets.
        Assert.Equal(status, response.StatusCode);
        if (status == 400)
        {
            var cause = response.Json["error"]!["root_cause"]![0]!;
            Assert.Equal("search_phase_execution_exception", (string?)response.Json["error"]!["type"]);
            Assert.Equal("too_many_buckets_exception", (string?)cause["type"]);
            Assert.Equal(
                "Trying to create too many buckets. Must be less than or equal to: [65536]. This limit can be set by changing the [search.max_buckets] cluster level setting.",
                (string?)cause["reason"]);
            Assert.Equal(65_536, (int?)cause["max_buckets"]);
        }
        else
        {
            Assert.Equal(1_000, response.Json["aggregations"]!["a64"]!["buckets"]!.AsArray().Count);
        }
    }
}
