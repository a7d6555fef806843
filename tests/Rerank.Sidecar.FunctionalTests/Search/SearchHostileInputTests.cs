using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Sidecar.Search;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// Hostile and odd requests and upstream answers on the reranked search path, against a recording fake cluster: the
/// first stage (the search asking <c>_source: false</c>) is answered by <see cref="_firstStage"/>, every other search
/// (the fetch, a pass-through) with three plain hits marked <c>took: 99</c>. Whatever the input, the answer is the
/// cluster's or an Elasticsearch-shaped one, never a 500, and <c>X-Rerank</c> says what happened (docs/search.md).
/// </summary>
public sealed class SearchHostileInputTests : IAsyncLifetime
{
    private const string Query = """{"query":{"match":{"text":"river"}},"size":3}""";

    private readonly FakeLogCollector _logs = new();
    private ILoggerFactory _loggerFactory = null!;
    private RecordingUpstream _upstream = null!;
    private SearchStack _stack = null!;
    private int _projectionDim;
    private string _mappingExtra = string.Empty;
    private Func<HttpContext, Task>? _firstStage;
    private Func<HttpContext, Task>? _fetch;

    public async ValueTask InitializeAsync()
    {
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new FakeLoggerProvider(_logs)));
        _upstream = await RecordingUpstream.StartAsync();
        _stack = await SearchStack.StartAsync(
            new SearchOptions { BreakerFailures = 1, BreakerOpenDuration = TimeSpan.FromMilliseconds(300) },
            _upstream.Url,
            _loggerFactory,
            upstreamActivityTimeout: TimeSpan.FromSeconds(2));
        _projectionDim = _stack.Scorer.ProjectionDim(_stack.ModelId)!.Value;
        _upstream.Respond = RespondAsync;
    }

    public async ValueTask DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _upstream.DisposeAsync();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task Search_ClientLeavesDuringTheFirstStage_NothingIsLoggedAsAnError()
    {
        var firstStageCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _firstStage = async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            finally
            {
                firstStageCancelled.TrySetResult();
            }
        };

        using (var leave = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            leave.CancelAfter(TimeSpan.FromMilliseconds(500));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/books/_search") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _stack.Sidecar.SendAsync(request, leave.Token));
        }

        // The sidecar gives up its own first-stage call at once (not after the 2 s activity timeout), and a client that
        // left is not a sidecar error (no event 3103, no unhandled exception).
        await firstStageCancelled.Task.WaitAsync(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Search_BrotliCodingThatIsNotBrotli_IsForwardedForTheClusterToAnswer()
    {
        var body = Encoding.UTF8.GetBytes("this was never compressed with brotli, it is plain text of some length");

        var (status, answer, header) = await SendBytesAsync("/books/_search", body, "br");

        // Elasticsearch answers a body it cannot read; the sidecar passes it on as it came, not a 500 of its own.
        Assert.Equal(200, status);
        Assert.Equal("skipped:invalid_body", header);
        Assert.Equal(99, (int)answer!["took"]!);
        Assert.Equal(body, _upstream.Requests.Last().Body);
    }

    [Theory]
    [InlineData(0, "applied")]
    [InlineData(1, "skipped:body_too_large")]
    public async Task Search_ChunkedBodyAtTheLimitOrOneByteOver_IsRerankedOrForwardedWhole(int over, string expected)
    {
        // MaxSearchBodyBytes (1 MiB) is the largest body read; trailing spaces are valid JSON. Sent chunked (no length).
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        var body = Encoding.UTF8.GetBytes(Query.PadRight((1 << 20) + over));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/books/_search") { Content = new StreamContent(new MemoryStream(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _stack.Sidecar.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(expected, SearchStack.Header(response, "X-Rerank"));
        if (over > 0)
        {
            // Nothing is lost: every byte reaches the cluster.
            Assert.Equal(body, _upstream.Requests.Last().Body);
        }
    }

    [Fact]
    public async Task Search_QueryTextOfAlmostAMebibyteInOneWord_IsCutByTheModelAndReranked()
    {
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        var body = "{\"query\":{\"match\":{\"text\":\"river\"}},\"size\":3,\"ext\":{\"rerank\":{\"query\":\"" + new string('q', 1_000_000) + "\"}}}";

        var clock = Stopwatch.StartNew();
        var (status, _, header) = await SendAsync("/books/_search", body);

        Assert.Equal(200, status);
        Assert.Equal("applied", header);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("/books/_search?format=yaml", null, "skipped:format")]
    [InlineData("/books/_search?format=cbor", null, "skipped:format")]
    [InlineData("/books/_search", "application/yaml", "skipped:format")]
    [InlineData("/books/_search", "application/smile", "skipped:format")]
    [InlineData("/books/_search", "application/vnd.elasticsearch+cbor;compatible-with=8", "skipped:format")]
    [InlineData("/books/_search?format=json", "application/json", "applied")]
    [InlineData("/books/_search", "application/vnd.elasticsearch+json;compatible-with=8", "applied")]
    [InlineData("/books/_search", "*/*", "applied")]
    public async Task Search_ClientAsksForAnotherResponseFormat_IsForwardedUntouched(string path, string? accept, string expected)
    {
        // Elasticsearch answers in YAML, CBOR or SMILE when asked (format parameter or Accept): the sidecar reads and
        // writes JSON only, so such a search goes to the cluster as it came, without a first stage of the sidecar's.
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await _stack.Sidecar.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(expected, SearchStack.Header(response, "X-Rerank"));
        var searches = _upstream.Requests.Where(r => r.RawTarget.Contains("_search", StringComparison.Ordinal)).ToList();
        if (expected != "applied")
        {
            var forwarded = Assert.Single(searches);
            Assert.Equal(path, forwarded.RawTarget);
            Assert.Equal(Query, Encoding.UTF8.GetString(forwarded.Body));
        }
    }

    [Fact]
    public async Task Search_GzipBombInflatingFarPastTheLimit_IsForwardedAsTooLargeQuickly()
    {
        // 256 MiB of spaces inside a JSON string compress to a few hundred KiB; only 1 MiB + 1 may ever be inflated.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("{\"query\":{\"match\":{\"text\":\""u8);
            var spaces = new byte[1 << 20];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 256; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("river\"}}}"u8);
        }

        var clock = Stopwatch.StartNew();
        var (status, _, header) = await SendBytesAsync("/books/_search", compressed.ToArray(), "gzip");

        Assert.Equal(200, status);
        Assert.Equal("skipped:body_too_large", header);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Search_InvalidUtf8InTheQueryText_IsForwardedAsInvalidBodyWithItsBytes()
    {
        // "caf" then 0xC3 0x28: a lead byte followed by a byte that cannot continue it. Elasticsearch refuses the body
        // (json_parse_exception, Invalid UTF-8 middle byte); the sidecar leaves it to the cluster, bytes unchanged.
        var body = Encoding.ASCII.GetBytes("""{"query":{"match":{"text":"caf__ river"}}}""");
        body[30] = 0xC3;
        body[31] = 0x28;

        var (status, _, header) = await SendBytesAsync("/books/_search", body, null);

        Assert.Equal(200, status);
        Assert.Equal("skipped:invalid_body", header);
        Assert.Equal(body, _upstream.Requests.Last().Body);
    }

    [Fact]
    public async Task Search_FirstStageScoreBeyondTheFloatRange_FallsBackAsInvalidResponse()
    {
        // Elasticsearch scores are 32-bit floats: 1e39 is no score the cluster can give.
        _firstStage = context => context.Response.WriteAsync(Answer(5, (i, _) => i == 1 ? JsonValue.Create(1e39) : null));

        var (status, answer, header) = await SendAsync("/books/_search", Query);

        Assert.Equal(200, status);
        Assert.Equal("fallback:invalid_response", header);
        Assert.Equal(99, (int)answer!["took"]!);
    }

    [Fact]
    public async Task Search_ProjectionOfInfinities_CountsAsMissingAndTheRestIsReranked()
    {
        // A stored float16 projection of +Infinity (0x7C00) cannot be scored; in linear mode it would make every score NaN.
        _mappingExtra = ""","score_mode":"linear" """;
        var infinities = new byte[_projectionDim * 2];
        for (var k = 0; k < _projectionDim; k++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(infinities.AsSpan(k * 2), Half.PositiveInfinity);
        }

        _firstStage = context => context.Response.WriteAsync(Answer(5, (i, hit) =>
        {
            if (i == 2)
            {
                hit["fields"]!["rerank.projection"] = new JsonArray(Convert.ToBase64String(infinities));
            }

            return null;
        }));

        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, HttpMethod.Post, "/books/_search", Query);

        using (response)
        {
            Assert.Equal(200, (int)status);
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
            Assert.Equal("0.3333", SearchStack.Header(response, "X-Rerank-Missing"));
        }

        // The candidate without a usable vector keeps its first-stage place (third).
        Assert.Equal("d2", SearchStack.Ids(answer!)[2]);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("linear")]
    [InlineData("rrf")]
    public async Task Search_ModelAnswersInfiniteLogits_IsRerankedWithFiniteScores(string mode)
    {
        // Overflowing arithmetic in a model gives +/-Infinity: +Infinity is the most relevant in every mode, and every
        // _score written is a finite JSON number (min-max of infinities would be NaN, which JSON cannot carry).
        _mappingExtra = ",\"score_mode\":\"" + mode + "\"";
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        _stack.Scorer.MapLogits = logits => [float.NegativeInfinity, float.PositiveInfinity, 0.5f];

        var (status, answer, header) = await SendAsync("/books/_search", Query);
        _stack.Scorer.MapLogits = null;

        Assert.Equal(200, status);
        Assert.Equal("applied", header);
        var hits = answer!["hits"]!["hits"]!.AsArray();
        Assert.Equal("d1", (string)hits[0]!["_id"]!);
        Assert.All(hits, h => Assert.True(float.IsFinite((float)h!["_score"]!)));
    }

    [Fact]
    public async Task Search_HugeSizeInTheUrl_AnswersThePageThatExists()
    {
        // from + size past int range: the cluster caps nothing here (the fake answers three hits); the page is hits 2..3.
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));

        var (status, answer, header) = await SendAsync("/books/_search?from=1&size=2147483647", """{"query":{"match":{"text":"river"}}}""");

        Assert.Equal(200, status);
        Assert.Equal("applied", header);
        Assert.Equal(2, answer!["hits"]!["hits"]!.AsArray().Count);
    }

    [Fact]
    public async Task Search_FirstStageThatStalls_IsBoundedByTheActivityTimeout()
    {
        _firstStage = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);

        var clock = Stopwatch.StartNew();
        var (status, answer, header) = await SendAsync("/books/_search", Query);

        // The stalled call is given up after UpstreamActivityTimeout (2 s here) and the user's request forwarded.
        Assert.Equal(200, status);
        Assert.Equal("fallback:upstream_error", header);
        Assert.Equal(99, (int)answer!["took"]!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Search_ClientLeavesDuringTheBreakersTrial_TheBreakerStillRecovers()
    {
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        _mappingExtra = ""","budget_ms":10000""";

        // One model failure opens the breaker (BreakerFailures 1).
        _stack.Scorer.Throw = true;
        Assert.Equal("fallback:model_error", (await SendAsync("/books/_search", Query)).Header);
        _stack.Scorer.Throw = false;
        await Task.Delay(TimeSpan.FromMilliseconds(400), TestContext.Current.CancellationToken);

        // The half-open trial: its client gives up while the query is still being encoded.
        _stack.Scorer.Delay = TimeSpan.FromSeconds(3);
        using (var leave = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            leave.CancelAfter(TimeSpan.FromMilliseconds(700));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/books/_search") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _stack.Sidecar.SendAsync(request, leave.Token));
        }

        _stack.Scorer.Delay = TimeSpan.Zero;
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        // The trial was given back: a later search may try the model again, and it works.
        var header = string.Empty;
        for (var attempt = 0; attempt < 20 && header != "applied"; attempt++)
        {
            header = (await SendAsync("/books/_search", Query)).Header;
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }

        Assert.Equal("applied", header);
    }

    [Theory]
    [InlineData("\\ud800 river")]
    [InlineData("\\udfff")]
    [InlineData("\\udc00\\ud800")]
    public async Task Search_EscapedSurrogateWithoutItsPair_IsForwardedAsInvalidBodyWithItsBytes(string text)
    {
        // Valid JSON that System.Text.Json cannot read as a string (Jackson keeps the lone surrogate): the body goes to
        // the cluster as it came, skipped:invalid_body, and the model is never asked (the breaker stays closed).
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        var body = "{\"query\":{\"match\":{\"text\":\"" + text + "\"}},\"size\":3}";

        var first = await SendAsync("/books/_search", body);
        var forwarded = _upstream.Requests.Last().Body;
        var then = await SendAsync("/books/_search", Query);

        Assert.Equal(200, first.Status);
        Assert.Equal("skipped:invalid_body", first.Header);
        Assert.Equal(body, Encoding.UTF8.GetString(forwarded));
        Assert.Equal("applied", then.Header);
    }

    [Theory]
    [InlineData("\\ud83d\\ude00 river")]
    [InlineData("😀😀😀")]
    [InlineData("\\u0000\\u0001 river")]
    public async Task Search_OddQueryText_IsRerankedAndNeverFailsTheModel(string text)
    {
        // Text no tokenizer expects (an escaped pair, emoji only, control characters) is the user's input, not a
        // model failure: it must not be answered with model_error, nor open the breaker (one failure opens it here).
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        var body = "{\"query\":{\"match\":{\"text\":\"river\"}},\"size\":3,\"ext\":{\"rerank\":{\"query\":\"" + text + "\"}}}";

        var first = await SendAsync("/books/_search", body);
        var then = await SendAsync("/books/_search", Query);

        Assert.Equal(200, first.Status);
        Assert.Equal("applied", first.Header);
        Assert.Equal("applied", then.Header);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("hits-object")]
    [InlineData("no-id")]
    [InlineData("id-lone-surrogate")]
    [InlineData("id-invalid-utf8")]
    [InlineData("score-string-huge")]
    public async Task Search_FirstStageAnswerThatIsNoSearchResponse_FallsBackAsInvalidResponse(string kind)
    {
        var valid = Answer(5, (_, _) => null);
        var bytes = kind switch
        {
            "truncated" => Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]),
            "hits-object" => Encoding.UTF8.GetBytes("""{"took":5,"hits":{"hits":{"_id":"d0"}}}"""),
            "no-id" => Encoding.UTF8.GetBytes(valid.Replace("\"_id\":\"d1\",", string.Empty, StringComparison.Ordinal)),
            "id-lone-surrogate" => Encoding.UTF8.GetBytes(valid.Replace("\"_id\":\"d1\"", "\"_id\":\"d\\ud800\"", StringComparison.Ordinal)),
            "id-invalid-utf8" => Encoding.UTF8.GetBytes(valid.Replace("\"_id\":\"d1\"", "\"_id\":\"d\u00ff\"", StringComparison.Ordinal))
                .Select(b => b == 0xC3 ? (byte)0xFF : b).ToArray(),
            _ => Encoding.UTF8.GetBytes(valid.Replace("\"_score\":2", "\"_score\":1" + new string('0', 50), StringComparison.Ordinal)),
        };
        Assert.NotEqual(valid, Encoding.UTF8.GetString(bytes));
        _firstStage = context => context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();

        var (status, answer, header) = await SendAsync("/books/_search", Query);

        // The user's request goes on as it came: the cluster's answer (took 99), marked.
        Assert.Equal(200, status);
        Assert.Equal("fallback:invalid_response", header);
        Assert.Equal(99, (int)answer!["took"]!);
    }

    [Fact]
    public async Task Search_FetchAnswersFewerHits_ThePageKeepsTheOthersInRerankedOrder()
    {
        // A document deleted between the first stage and the fetch: its hit is left out, the others keep their order.
        _firstStage = context => context.Response.WriteAsync(Answer(5, (_, _) => null));
        var reranked = await SendAsync("/books/_search", Query);
        Assert.Equal("applied", reranked.Header);
        var expected = SearchStack.Ids(reranked.Answer!).Where(id => id != "d1").ToList();
        Assert.Equal(2, expected.Count);

        _fetch = context => context.Response.WriteAsync(Answer(99, null).Replace("\"_id\":\"d1\"", "\"_id\":\"gone\"", StringComparison.Ordinal));
        var (status, answer, header) = await SendAsync("/books/_search", Query);

        Assert.Equal(200, status);
        Assert.Equal("applied", header);
        Assert.Equal(expected, SearchStack.Ids(answer!));
    }

    private async Task<(int Status, JsonNode? Answer, string Header)> SendAsync(string path, string body)
    {
        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, HttpMethod.Post, path, body);
        using (response)
        {
            return ((int)status, answer, SearchStack.Header(response, "X-Rerank"));
        }
    }

    private async Task<(int Status, JsonNode? Answer, string Header)> SendBytesAsync(string path, byte[] body, string? encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (encoding is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        }

        using var response = await _stack.Sidecar.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? answer = null;
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return ((int)response.StatusCode, answer, SearchStack.Header(response, "X-Rerank"));
    }

    private async Task RespondAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var path = context.Request.Path.Value!;
        if (path.EndsWith("/_mapping", StringComparison.Ordinal))
        {
            var mapping = JsonNode.Parse(_stack.Mapping(_mappingExtra))!["mappings"]!.DeepClone();
            await context.Response.WriteAsync(new JsonObject { ["books"] = new JsonObject { ["mappings"] = mapping } }.ToJsonString());
            return;
        }

        var body = Encoding.UTF8.GetString(_upstream.Requests.Last().Body);
        if (body.Contains("\"_source\":false", StringComparison.Ordinal) && _firstStage is { } firstStage)
        {
            await firstStage(context);
            return;
        }

        await (_fetch is { } fetch ? fetch(context) : context.Response.WriteAsync(Answer(99, null)));
    }

    /// <summary>
    /// Three hits d0..d2 scored 3, 2, 1; with <paramref name="edit"/> (which may edit a hit and returns its new <c>_score</c>, or null to keep it) each
    /// carries a float16 projection stored by the loaded model, else a <c>_source</c>.
    /// </summary>
    private string Answer(int took, Func<int, JsonObject, JsonNode?>? edit)
    {
        var hits = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            var hit = new JsonObject { ["_index"] = "books", ["_id"] = $"d{i}", ["_score"] = 3.0 - i };
            if (edit is not null)
            {
                var bytes = new byte[_projectionDim * 2];
                for (var k = 0; k < _projectionDim; k++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(k * 2), (Half)(((k * (i + 3)) % 7) - 3));
                }

                hit["fields"] = new JsonObject
                {
                    ["rerank.projection"] = new JsonArray(Convert.ToBase64String(bytes)),
                    ["rerank.model"] = new JsonArray(_stack.ModelId),
                };
                if (edit(i, hit) is { } score)
                {
                    hit["_score"] = score;
                }
            }
            else
            {
                hit["_source"] = new JsonObject { ["title"] = $"Title {i}" };
            }

            hits.Add(hit);
        }

        return new JsonObject
        {
            ["took"] = took,
            ["timed_out"] = false,
            ["hits"] = new JsonObject { ["total"] = new JsonObject { ["value"] = 3, ["relation"] = "eq" }, ["max_score"] = 3.0, ["hits"] = hits },
        }.ToJsonString();
    }
}
