using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// One test (or table) per class of hostile input from issue 9, each over real HTTP against an engine on 127.0.0.1:
/// the answer must be Elasticsearch's client error, never a 500, a hang or a dead process.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    // --- Expensive queries -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(11_000)] // the ~33 KB "ab?ab?..." that overflowed the stack and killed the process
    [InlineData(3_400)] // 10,200 states: just past the 10,000-state limit
    public async Task Wildcard_PatternPastTheStateLimit_Is400AndTheEngineLives(int repeats)
    {
        await using var engine = await StartWithKeywordDocAsync();
        var pattern = string.Concat(Enumerable.Repeat("ab?", repeats));

        var response = await engine.PostAsync("/books/_search", Query("wildcard", pattern));
        var alive = await engine.GetAsync("/books/_count");

        // Elasticsearch's shape: the shard's query_shard_exception "failed to create query: ..." caused by Lucene's
        // TooComplexToDeterminizeException; a chain of 3n characters is 3n + 1 states.
        var reason = $"Determinizing automaton with {(3 * repeats) + 1} states and {3 * repeats} transitions would result in more than 10000 states.";
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("search_phase_execution_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("query_shard_exception", (string?)response.Json["error"]!["root_cause"]![0]!["type"]);
        Assert.Equal("failed to create query: " + reason, (string?)response.Json["error"]!["root_cause"]![0]!["reason"]);
        Assert.Equal("too_complex_to_determinize_exception", (string?)response.Json["error"]!["caused_by"]!["caused_by"]!["type"]);
        Assert.Equal(reason, (string?)response.Json["error"]!["caused_by"]!["caused_by"]!["reason"]);
        Assert.Equal(200, alive.StatusCode);
    }

    [Fact]
    public async Task Wildcard_ManyStarSegments_IsRefusedQuickly()
    {
        await using var engine = await StartWithKeywordDocAsync();

        // 700 "*a" segments took 31 s to determinize; Lucene 9's effort limit (10 x 10000) refuses it.
        var watch = Stopwatch.StartNew();
        var response = await engine.PostAsync("/books/_search", Query("wildcard", string.Concat(Enumerable.Repeat("*a", 700))));
        watch.Stop();

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("would require more than 10000 effort.", response.Text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Wildcard_LongButSafePattern_StillMatches()
    {
        await using var engine = await StartWithKeywordDocAsync();

        // 9,999 characters, 10,000 states: the most accepted, compiled on the large-stack thread and run on a search
        // thread (a stack overflow here would end the test process).
        var value = string.Concat(Enumerable.Repeat("abc", 3_333));
        await engine.PutAsync("/books/_doc/long?refresh=true", new JsonObject { ["code"] = value }.ToJsonString());
        var pattern = "ab?" + value[3..];

        var response = await engine.PostAsync("/books/_search", Query("wildcard", pattern));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("long", (string?)response.Json["hits"]!["hits"]![0]!["_id"]);
    }

    [Fact]
    public async Task CaseInsensitivePrefix_LongValue_Is400NotACrash()
    {
        await using var engine = await StartWithKeywordDocAsync();
        var body = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["prefix"] = new JsonObject { ["code"] = new JsonObject { ["value"] = new string('a', 20_000), ["case_insensitive"] = true } },
            },
        };

        var response = await engine.PostAsync("/books/_search", body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("too_complex_to_determinize_exception", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlQuery_1100Terms_Is400LikeTheBodyForm()
    {
        await using var engine = await StartWithKeywordDocAsync();
        var terms = string.Join("+", Enumerable.Range(0, 1_100).Select(i => $"t{i}"));

        var response = await engine.GetAsync($"/books/_search?q={terms}");

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("too_many_clauses", response.Text, StringComparison.Ordinal);
    }

    // --- Bodies that are not Unicode ---------------------------------------------------------------------------------

    [Fact]
    public async Task Document_InvalidUtf8_Is400()
    {
        await using var engine = await EngineServer.StartAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"x").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var response = await SendBytesAsync(engine, "PUT", "/books/_doc/1", bytes, "application/json");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("[1:8] Invalid UTF-8 start byte 0xff", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task Document_LoneSurrogateEscape_Is400()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1", "{\"a\":\"\\ud800\"}");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
    }

    [Fact]
    public async Task Bulk_InvalidItemAfterValidOne_EachGetsItsOwnResult()
    {
        await using var engine = await EngineServer.StartAsync();
        var body = new MemoryStream();
        body.Write("{\"index\":{\"_index\":\"books\",\"_id\":\"1\"}}\n{\"a\":\"ok\"}\n"u8);
        body.Write("{\"index\":{\"_index\":\"books\",\"_id\":\"2\"}}\n{\"a\":\""u8);
        body.Write([0xC3, 0x28]);
        body.Write("\"}\n{\"index\":{\"_index\":\"books\",\"_id\":\"3\"}}\n{\"a\":\"\\udc00\"}\n"u8);
        body.Write("{\"index\":{\"_index\":\"books\",\"_id\":\"\"}}\n{\"a\":\"empty id\"}\n"u8);
        body.Write("{\"index\":{\"_index\":\"books\",\"_id\":\"5\"}}\n{\"a\":\"ok too\"}\n"u8);

        var response = await SendBytesAsync(engine, "POST", "/_bulk?refresh=true", body.ToArray(), "application/x-ndjson");
        var count = await engine.GetAsync("/books/_count");

        Assert.Equal(200, response.StatusCode);
        Assert.True((bool)response.Json["errors"]!);
        var items = response.Json["items"]!.AsArray().Select(i => i!["index"]!).ToList();
        Assert.Equal([201, 400, 400, 400, 201], items.Select(i => (int)i["status"]!));
        Assert.Equal("document_parsing_exception", (string?)items[1]["error"]!["type"]);
        Assert.Equal("document_parsing_exception", (string?)items[2]["error"]!["type"]);

        // Elasticsearch's bulk YAML test "Empty _id": that item alone fails.
        Assert.Equal("illegal_argument_exception", (string?)items[3]["error"]!["type"]);
        Assert.Equal("if _id is specified it must not be empty", (string?)items[3]["error"]!["reason"]);
        Assert.Equal(2, (int)count.Json["count"]!);
    }

    [Fact]
    public async Task Bulk_EmptyActionLine_IsElasticsearchsMessage()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.BulkAsync("/_bulk", "{\"index\":{\"_index\":\"books\"}}\n{\"a\":1}\n{}\n{\"a\":2}\n");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Malformed action/metadata line [3], expected FIELD_NAME but found [END_OBJECT]", (string?)response.Json["error"]!["reason"]);
    }

    // --- Depth and size -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public async Task Document_NestedPastTheDepthLimit_Is400(int depth)
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1", Nested(depth));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("document_parsing_exception", (string?)response.Json["error"]!["type"]);

        // Elasticsearch: the root is depth 1, so the object at o.o...o (19 dots, depth 21) is the first past 20.
        var path = string.Join('.', Enumerable.Repeat("o", 20));
        Assert.EndsWith($"failed to parse: Limit of mapping depth [20] has been exceeded due to object field [{path}]", (string?)response.Json["error"]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_DepthLimitSetPerIndex_IsEnforced()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"index.mapping.depth.limit":3}}""");

        // a is depth 2 and a.b depth 3 (the root is 1): allowed; a.b.c is depth 4.
        var within = await engine.PutAsync("/books/_doc/1", """{"a":{"b":{"x":1}}}""");
        var past = await engine.PutAsync("/books/_doc/2", """{"a":{"b":{"c":{"x":1}}}}""");

        Assert.Equal(201, within.StatusCode);
        Assert.Equal(400, past.StatusCode);
        Assert.EndsWith("failed to parse: Limit of mapping depth [3] has been exceeded due to object field [a.b.c]", (string?)past.Json["error"]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_NestedDeeplyWithoutDynamicMapping_IsStoredAndReturned()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"mappings":{"dynamic":false}}""");

        // 64 objects: the deepest body accepted, and the deepest the stored-source readers take back.
        var put = await engine.PutAsync("/books/_doc/1?refresh=true", Nested(64));
        var get = await engine.GetAsync("/books/_doc/1");
        var search = await engine.GetAsync("/books/_search");

        Assert.Equal(201, put.StatusCode);
        Assert.True(200 == get.StatusCode, get.Text);
        Assert.True(200 == search.StatusCode, search.Text);
        Assert.Contains("\"total\":{\"value\":1,", search.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_NestedPastTheParserDepth_Is400()
    {
        await using var engine = await EngineServer.StartAsync();

        // 65 objects: one past System.Text.Json's default depth of 64, which the stored-source readers use.
        var response = await engine.PutAsync("/books/_doc/1", Nested(65));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
    }

    [Fact]
    public async Task Document_TenThousandFields_IsRefusedFastAtTheLimit()
    {
        await using var engine = await EngineServer.StartAsync();
        var doc = new JsonObject();
        for (var i = 0; i < 10_000; i++)
        {
            doc[$"f{i}"] = i;
        }

        var watch = Stopwatch.StartNew();
        var response = await engine.PutAsync("/books/_doc/1", doc.ToJsonString());
        watch.Stop();

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("document_parsing_exception", (string?)response.Json["error"]!["type"]);

        // Numbers map to one field each: the 1,001st new field is the first past 1000.
        Assert.EndsWith("failed to parse: Limit of total fields [1000] has been exceeded while adding new fields [1001]", (string?)response.Json["error"]!["reason"], StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Document_TotalFieldsLimitSetPerIndex_CountsMultiFields()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"index.mapping.total_fields.limit":5}}""");

        // title: text + title.keyword (2), year (1): 3 fields; then two strings take it to 7, past 5 at the 6th.
        var first = await engine.PutAsync("/books/_doc/1", """{"title":"a","year":1}""");
        var second = await engine.PutAsync("/books/_doc/2", """{"b":"x","c":"y"}""");

        Assert.Equal(201, first.StatusCode);
        Assert.Equal(400, second.StatusCode);
        Assert.EndsWith("Limit of total fields [5] has been exceeded while adding new fields [4]", (string?)second.Json["error"]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutMapping_PastTheTotalFieldsLimit_IsIllegalArgument()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"index.mapping.total_fields.limit":2}}""");

        var response = await engine.PutAsync("/books/_mapping", """{"properties":{"a":{"type":"long"},"b":{"type":"long"},"c":{"type":"long"}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("Limit of total fields [2] has been exceeded", (string?)response.Json["error"]!["reason"]);
    }

    // --- Bodies that cannot be read ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Body_CorruptCompression_Is400(string encoding)
    {
        await using var engine = await EngineServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_search");
        var garbage = encoding == "gzip"
            ? new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x13, 0x37 }
            : Enumerable.Range(0, 64).Select(i => (byte)(i * 37)).ToArray();
        request.Content = new ByteArrayContent(garbage);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);

        using var response = await engine.Client.SendAsync(request, Ct);

        Assert.True(400 == (int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Body_ValidGzip_StillWorks()
    {
        await using var engine = await EngineServer.StartAsync();
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("""{"a":1}"""u8);
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, "/books/_doc/1");
        request.Content = new ByteArrayContent(compressed.ToArray());
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");

        using var response = await engine.Client.SendAsync(request, Ct);

        Assert.Equal(201, (int)response.StatusCode);
    }

    [Fact]
    public async Task Body_BadChunkSize_Is400()
    {
        await using var engine = await EngineServer.StartAsync();
        var request = "POST /books/_doc/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{\"a\":1}\r\n0\r\n\r\n";

        var (status, _) = await RawAsync(engine, request);
        var exists = await engine.SendAsync("HEAD", "/books/_doc/1");

        Assert.Equal(400, status);
        Assert.Equal(404, exists.StatusCode);
    }

    // --- Paths and parameters ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Id_InvalidUtf8Escape_DoesNotCollideWithTheEscapedPercent()
    {
        await using var engine = await EngineServer.StartAsync();

        // Elasticsearch decodes %FF to the byte 0xFF, which as UTF-8 is U+FFFD; %25FF is the text "%FF".
        await engine.PutAsync("/books/_doc/%FF?refresh=true", """{"which":"ff"}""");
        await engine.PutAsync("/books/_doc/%25FF?refresh=true", """{"which":"percent"}""");
        var replacement = await engine.GetAsync("/books/_doc/%EF%BF%BD");
        var percent = await engine.GetAsync("/books/_doc/%25FF");

        Assert.Equal("ff", (string?)replacement.Json["_source"]!["which"]);
        Assert.Equal("\uFFFD", (string?)replacement.Json["_id"]);
        Assert.Equal("percent", (string?)percent.Json["_source"]!["which"]);
        Assert.Equal("%FF", (string?)percent.Json["_id"]);
    }

    [Theory]
    [InlineData("/books/_doc/%ZZ", "invalid escape sequence `%ZZ' at index 0 of: %ZZ")]
    [InlineData("/books/_doc/a%F", "partial escape sequence at end of string: a%F")]
    [InlineData("/books/_doc/a%", "unterminated escape sequence at end of string: a%")]
    public async Task Id_MalformedEscape_Is400(string path, string reason)
    {
        await using var engine = await EngineServer.StartAsync();

        // HttpClient would escape a stray '%'; the raw request line keeps it as a careless client sends it.
        var (status, body) = await RawAsync(engine, $"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Equal(reason, (string?)JsonNode.Parse(body)!["error"]!["reason"]);
    }

    [Fact]
    public async Task Options_KnownPath_Is200WithAllow()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.SendAsync("OPTIONS", "/_search");
        var unknown = await engine.SendAsync("OPTIONS", "/books/_nope");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.ContentHeaders.Allow.Order(StringComparer.Ordinal));
        Assert.Equal(200, unknown.StatusCode);
        Assert.Empty(unknown.ContentHeaders.Allow);
    }

    [Theory]
    [InlineData("pretty")]
    [InlineData("human")]
    [InlineData("error_trace")]
    public async Task CommonBoolean_NotABoolean_IsIllegalArgument(string name)
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.GetAsync($"/?{name}=maybe");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("Failed to parse value [maybe] as only [true] or [false] are allowed.", (string?)response.Json["error"]!["reason"]);
    }

    private static async Task<EngineServer> StartWithKeywordDocAsync()
    {
        var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"mappings":{"properties":{"code":{"type":"keyword"}}}}""");
        await engine.PutAsync("/books/_doc/1?refresh=true", """{"code":"abcabc"}""");
        return engine;
    }

    private static string Query(string type, string value) =>
        new JsonObject { ["query"] = new JsonObject { [type] = new JsonObject { ["code"] = value } } }.ToJsonString();

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"o\":", depth)) + "1" + new string('}', depth);

    /// <summary>Sends <paramref name="request"/> as written over a fresh connection; the status and body of the answer.</summary>
    private static async Task<(int Status, string Body)> RawAsync(EngineServer engine, string request)
    {
        var uri = engine.Host.Urls[0];
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);

        // Read until the server closes or the declared body has arrived.
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = text[..end].Split("\r\n").Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                if (Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= length)
                {
                    break;
                }
            }
        }

        var all = Encoding.UTF8.GetString(received.ToArray());
        var status = int.Parse(all.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? "" : all[(bodyStart + 4)..]);
    }

    private static async Task<EngineResponse> SendBytesAsync(EngineServer engine, string method, string path, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await engine.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new EngineResponse(response.StatusCode, text, response.Headers, response.Content.Headers);
    }
}
