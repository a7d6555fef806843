using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// Each fallback forced on a real stack (a slow model, a throwing one, an open breaker, an oversized body): the answer
/// is the one the engine gives the user's request, with the header that says why.
/// </summary>
public sealed class SearchFallbackTests
{
    private const string Body = """{"query":{"match":{"text":"river"}},"size":8}""";

    private static async Task<SearchStack> StartAsync(SearchOptions options, string meta = "")
    {
        var stack = await SearchStack.StartAsync(options);
        await stack.CreateAsync(stack.Sidecar, "books", stack.Mapping(meta), 20);
        return stack;
    }

    /// <summary>Sends <paramref name="body"/> through the sidecar and checks the header and that the hits are the engine's own answer's.</summary>
    private static async Task AssertFirstStageAsync(SearchStack stack, string header, string body = Body)
    {
        var direct = await SearchStack.OkAsync(stack.Engine, HttpMethod.Post, "/books/_search", body);

        var (status, answer, response) = await SearchStack.SendAsync(stack.Sidecar, HttpMethod.Post, "/books/_search", body);

        using (response)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal(header, SearchStack.Header(response, "X-Rerank"));
            Assert.Equal(string.Empty, SearchStack.Header(response, "X-Rerank-Model"));
        }

        Assert.True(JsonNode.DeepEquals(direct["hits"]!["hits"], answer!["hits"]!["hits"]), answer.ToJsonString());
        Assert.True(JsonNode.DeepEquals(direct["hits"]!["max_score"], answer["hits"]!["max_score"]));
        Assert.True(JsonNode.DeepEquals(direct["hits"]!["total"], answer["hits"]!["total"]));
    }

    [Fact]
    public async Task Search_SlowModel_FallsBackAfterTheBudget()
    {
        await using var stack = await StartAsync(new SearchOptions(), ""","budget_ms":50""");
        stack.Scorer.Delay = TimeSpan.FromSeconds(5);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await AssertFirstStageAsync(stack, "fallback:timeout");

        // Cancelled at the budget, not after the model's 5 s (the engine call of the assertion is included).
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), started.Elapsed.ToString());
        Assert.Equal(0, stack.Scorer.ScoreCalls);
    }

    [Fact]
    public async Task Search_ThrowingModel_FallsBack()
    {
        await using var stack = await StartAsync(new SearchOptions());
        using var searches = new MetricCollector<long>(
            stack.Services.GetRequiredService<IMeterFactory>(), SidecarMetrics.MeterName, SidecarMetrics.SearchRequestsName);
        stack.Scorer.Throw = true;

        await AssertFirstStageAsync(stack, "fallback:model_error");

        // Counted once the answer is written, which the client may see first.
        await searches.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));
        var counted = Assert.Single(searches.GetMeasurementSnapshot());
        Assert.Equal("fallback", counted.Tags["outcome"]);
        Assert.Equal("model_error", counted.Tags["reason"]);
    }

    [Fact]
    public async Task Search_AfterBreakerFailures_BreakerOpens_AndTheModelIsNotCalled()
    {
        await using var stack = await StartAsync(new SearchOptions { BreakerFailures = 2, BreakerOpenDuration = TimeSpan.FromMinutes(5) });
        stack.Scorer.Throw = true;
        await AssertFirstStageAsync(stack, "fallback:model_error");
        await AssertFirstStageAsync(stack, "fallback:model_error");

        stack.Scorer.Throw = false;
        await AssertFirstStageAsync(stack, "fallback:breaker_open");
        Assert.Equal(0, stack.Scorer.ScoreCalls);
    }

    [Fact]
    public async Task Search_BodyOverTheLimit_IsForwardedUntouched()
    {
        await using var stack = await StartAsync(new SearchOptions { MaxSearchBodyBytes = 1024 });
        // JSON allows any whitespace: the same search, 4 KiB long.
        var padded = Body[..^1] + new string(' ', 4096) + "}";

        await AssertFirstStageAsync(stack, "skipped:body_too_large", padded);
    }

    [Fact]
    public async Task Search_GzipBody_IsDecodedAndReranked()
    {
        await using var stack = await StartAsync(new SearchOptions());
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("""{"query":{"match":{"text":"river"}},"size":3,"ext":{"rerank":{"window":5}}}"""), TestContext.Current.CancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/books/_search") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        using var response = await stack.Sidecar.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
        Assert.Equal(3, answer["hits"]!["hits"]!.AsArray().Count);
    }

    [Fact]
    public async Task Search_SinglePhase_RerankedPageHasTheUsersFetchOptionsOnly_AndAFallbackIsTheEnginesAnswer()
    {
        await using var stack = await StartAsync(new SearchOptions { SinglePhaseMaxWindow = 10 }, ",\"window\":10,\"score_mode\":\"model\"");
        var first = await SearchStack.OkAsync(stack.Engine, HttpMethod.Post, "/books/_search", """{"query":{"match":{"text":"river"}},"size":10,"_source":false}""");
        var firstIds = SearchStack.Ids(first);
        var passages = SearchStack.Passages(20);
        var logits = stack.IndependentLogits("river", [.. firstIds.Select(id => passages[id])]);
        var expected = firstIds.Select((id, i) => (id, i)).OrderByDescending(x => logits[x.i]).Select(x => x.id).Take(5).ToList();

        var (_, answer, response) = await SearchStack.SendAsync(stack.Sidecar, HttpMethod.Post, "/books/_search",
            """{"query":{"match":{"text":"river"}},"size":5,"_source":["title"],"highlight":{"fields":{"text":{}}},"docvalue_fields":["genre"]}""");

        using (response)
        {
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
        }

        Assert.Equal(expected, SearchStack.Ids(answer!));
        foreach (var hit in answer!["hits"]!["hits"]!.AsArray())
        {
            Assert.Contains("<em>river</em>", (string)hit!["highlight"]!["text"]![0]!, StringComparison.Ordinal);
            Assert.Equal(["title"], hit["_source"]!.AsObject().Select(p => p.Key));
            // The user's docvalue field stays; the rerank fields the sidecar added do not show.
            Assert.Equal(["genre"], hit["fields"]!.AsObject().Select(p => p.Key));
        }

        // A fallback in single phase is answered from the first stage's own hits: the engine's answer to the request.
        stack.Scorer.Throw = true;
        await AssertFirstStageAsync(stack, "fallback:model_error", """{"query":{"match":{"text":"river"}},"from":2,"size":5,"_source":["title"],"highlight":{"fields":{"text":{}}},"docvalue_fields":["genre"]}""");
    }

    [Fact]
    public async Task Search_QueryText_IsLoggedOnlyAtDebug()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var stack = await SearchStack.StartAsync(new SearchOptions(), loggerFactory: loggerFactory);
        await using (stack)
        {
            await stack.CreateAsync(stack.Sidecar, "books", stack.Mapping(), 10);
            const string Secret = "zanzibarquokka";
            var body = "{\"query\":{\"match\":{\"text\":\"river " + Secret + "\"}},\"size\":3}";
            (await SearchStack.SendAsync(stack.Sidecar, HttpMethod.Post, "/books/_search", body)).Response.Dispose();
            stack.Scorer.Throw = true;
            (await SearchStack.SendAsync(stack.Sidecar, HttpMethod.Post, "/books/_search", body)).Response.Dispose();

            var records = logs.GetSnapshot();
            Assert.Contains(records, r => r.Id.Id == 3120 && r.Level == LogLevel.Debug && r.Message.Contains(Secret, StringComparison.Ordinal));
            Assert.Contains(records, r => r.Id.Id == 3125 && r.Level == LogLevel.Error);
            Assert.DoesNotContain(records, r => r.Level > LogLevel.Debug && (r.Message.Contains(Secret, StringComparison.Ordinal)
                || (r.Exception?.ToString().Contains(Secret, StringComparison.Ordinal) ?? false)));
        }
    }
}
