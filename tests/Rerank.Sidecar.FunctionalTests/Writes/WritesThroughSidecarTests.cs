using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// Writes through the real sidecar into an index set up by <c>rerank ingest init</c>: every stored projection equals
/// what <c>rerank model encode</c> computes for the document's text alone, and every answer is the engine's own (the
/// same writes sent straight to the engine, into a twin index, answer the same).
/// </summary>
public sealed class WritesThroughSidecarTests : IAsyncLifetime
{
    private const string Index = "books";
    private const string Twin = "twin";

    private WritePathStack _stack = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await WritePathStack.StartAsync();
        await _stack.InitAsync(_stack.SidecarUrl, Index);
        await _stack.InitAsync(_stack.EngineUrl, Twin);
    }

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    private static string EveryBulkAction(string index) => string.Join('\n',
        $$$"""{"index":{"_index":"{{{index}}}","_id":"1"}}""",
        """{"title":"Dune","text":"A desert planet and its spice."}""",
        $$$"""{"create":{"_index":"{{{index}}}","_id":"2"}}""",
        """{"title":"Emma","text":"A comedy of manners in Highbury."}""",
        $$$"""{"create":{"_index":"{{{index}}}","_id":"1"}}""",
        """{"title":"Dune","text":"written twice"}""",
        $$$"""{"update":{"_index":"{{{index}}}","_id":"2"}}""",
        """{"doc":{"title":"Emma","text":"Matchmaking goes wrong in Highbury."}}""",
        $$$"""{"update":{"_index":"{{{index}}}","_id":"404"}}""",
        """{"doc":{"title":"Nobody","text":"not there"}}""",
        $$$"""{"index":{"_index":"{{{index}}}","_id":"3"}}""",
        """{"title":["Ulysses","Part one"],"text":"Dublin, 16 June 1904."}""",
        $$$"""{"delete":{"_index":"{{{index}}}","_id":"9"}}""") + "\n";

    [Fact]
    public async Task Bulk_EveryActionKind_StoresTheIndependentProjection_AndAnswersAsTheEngine()
    {
        var direct = await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Post, "/_bulk?refresh=true", EveryBulkAction(Twin), "application/x-ndjson");
        var sidecar = await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", EveryBulkAction(Index), "application/x-ndjson");
        var pathDirect = await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Put, $"/{Twin}/_bulk?refresh=true", "{\"index\":{\"_id\":\"4\"}}\n{\"title\":\"Walden\",\"text\":\"Simple living in natural surroundings.\"}\n", "application/x-ndjson");
        var pathSidecar = await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Put, $"/{Index}/_bulk?refresh=true", "{\"index\":{\"_id\":\"4\"}}\n{\"title\":\"Walden\",\"text\":\"Simple living in natural surroundings.\"}\n", "application/x-ndjson");

        BulkItems.AssertSame(direct, sidecar, Twin, Index);
        BulkItems.AssertSame(pathDirect, pathSidecar, Twin, Index);
        // What each item did, from the bulk API's documented results (not from the engine under test).
        Assert.Equal([201, 201, 409, 200, 404, 201, 404], sidecar["items"]!.AsArray().Select(i => (int)i!.AsObject().Single().Value!["status"]!));
        var texts = new Dictionary<string, string>
        {
            ["1"] = "Dune A desert planet and its spice.",
            ["2"] = "Emma Matchmaking goes wrong in Highbury.",
            ["3"] = "Ulysses Part one Dublin, 16 June 1904.",
            ["4"] = "Walden Simple living in natural surroundings.",
        };
        var projections = await _stack.ProjectionsAsync([.. texts.Values]);
        foreach (var ((id, text), projection) in texts.Zip(projections))
        {
            StoredFields.AssertCurrent(await _stack.SourceAsync(Index, id), text, projection, _stack.ModelId);
        }

        // The twin, written straight to the engine, has no vectors: the sidecar added them.
        Assert.Null((await _stack.SourceAsync(Twin, "1"))["rerank"]);
    }

    [Fact]
    public async Task DocCreateAndUpdate_ThroughTheSidecar_StoreTheIndependentProjection_AndAnswerAsTheEngine()
    {
        var writes = new (HttpMethod Method, string Path, string Body)[]
        {
            (HttpMethod.Put, "/{0}/_doc/5?refresh=true", """{"title":"Persuasion","text":"Anne Elliot, eight years on."}"""),
            (HttpMethod.Post, "/{0}/_doc/6?refresh=true", """{"title":"Beloved","text":"Sethe in Cincinnati."}"""),
            (HttpMethod.Put, "/{0}/_create/7?refresh=true", """{"title":"Middlemarch","text":"A study of provincial life."}"""),
            (HttpMethod.Post, "/{0}/_create/7?refresh=true", """{"title":"Middlemarch","text":"again"}"""),
            (HttpMethod.Post, "/{0}/_update/5?refresh=true", """{"doc":{"title":"Persuasion","text":"Anne Elliot and Captain Wentworth."}}"""),
            (HttpMethod.Post, "/{0}/_update/8?refresh=true", """{"doc":{"title":"Nobody","text":"missing"}}"""),
        };
        foreach (var (method, path, body) in writes)
        {
            var (directStatus, directBody) = await WritePathStack.SendAsync(_stack.Engine, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Twin), body);
            var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Index), body);
            Assert.Equal(directStatus, status);
            var want = JsonNode.Parse(directBody)!;
            var got = JsonNode.Parse(text)!;
            Assert.Equal((string?)want["result"], (string?)got["result"]);
            Assert.Equal((string?)want["error"]?["type"], (string?)got["error"]?["type"]);
            Assert.Equal((string?)want["error"]?["reason"], ((string?)got["error"]?["reason"])?.Replace(Index, Twin, StringComparison.Ordinal));
        }

        var created = await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, $"/{Index}/_doc?refresh=true", """{"title":"Kim","text":"The Great Game."}""");
        Assert.Equal("created", (string)created["result"]!);

        var texts = new Dictionary<string, string>
        {
            ["5"] = "Persuasion Anne Elliot and Captain Wentworth.",
            ["6"] = "Beloved Sethe in Cincinnati.",
            ["7"] = "Middlemarch A study of provincial life.",
            [(string)created["_id"]!] = "Kim The Great Game.",
        };
        var projections = await _stack.ProjectionsAsync([.. texts.Values]);
        foreach (var ((id, text), projection) in texts.Zip(projections))
        {
            StoredFields.AssertCurrent(await _stack.SourceAsync(Index, id), text, projection, _stack.ModelId);
        }
    }

    [Fact]
    public async Task Reindex_SourceCarryingCurrentVectors_IsNotReEncoded_ButChangedTextIs()
    {
        await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Put, $"/{Index}/_doc/10?refresh=true", """{"title":"Walden","text":"Simple living."}""");
        var stored = await _stack.SourceAsync(Index, "10");
        Assert.NotNull(StoredFields.Projection(stored));
        var texts = _stack.Encoders.Texts;

        // The stored source sent back as is: by _doc, by _bulk index and by a bulk update whose doc carries the same vectors.
        await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Put, $"/{Index}/_doc/10?refresh=true", stored.ToJsonString());
        await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", $"{{\"index\":{{\"_index\":\"{Index}\",\"_id\":\"11\"}}}}\n{stored.ToJsonString()}\n", "application/x-ndjson");

        Assert.Equal(texts, _stack.Encoders.Texts);
        Assert.True(JsonNode.DeepEquals(stored, await _stack.SourceAsync(Index, "10")));
        Assert.True(JsonNode.DeepEquals(stored, await _stack.SourceAsync(Index, "11")));

        // The same document with another text is encoded (one text more), so the counter does see the model's calls.
        var changed = stored.DeepClone().AsObject();
        changed["text"] = "Simple living, changed.";
        await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Put, $"/{Index}/_doc/10?refresh=true", changed.ToJsonString());
        Assert.Equal(texts + 1, _stack.Encoders.Texts);
        var projection = Assert.Single(await _stack.ProjectionsAsync(["Walden Simple living, changed."]));
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "10"), "Walden Simple living, changed.", projection, _stack.ModelId);
    }

    [Fact]
    public async Task Bulk_GzipBody_IsDecoded_AndGetsVectors()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"index\":{{\"_index\":\"{Index}\",\"_id\":\"20\"}}}}\n{{\"title\":\"Gzip\",\"text\":\"compressed on the wire\"}}\n");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _stack.Sidecar.PostAsync("/_bulk?refresh=true", content, TestContext.Current.CancellationToken);

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.False((bool)answer["errors"]!, answer.ToJsonString());
        var projection = Assert.Single(await _stack.ProjectionsAsync(["Gzip compressed on the wire"]));
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "20"), "Gzip compressed on the wire", projection, _stack.ModelId);
    }

    [Fact]
    public async Task Bulk_FourConcurrentClients_EveryDocumentCurrent()
    {
        var bulks = Enumerable.Range(0, 4).Select(client => string.Concat(Enumerable.Range(0, 25).Select(i =>
            $"{{\"index\":{{\"_index\":\"{Index}\",\"_id\":\"c{client}-{i}\"}}}}\n{{\"title\":\"Client {client}\",\"text\":\"Document {i} of client {client}.\"}}\n")));

        var answers = await Task.WhenAll(bulks.Select(body => WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk", body, "application/x-ndjson")));
        await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Post, $"/{Index}/_refresh");

        Assert.All(answers, answer => Assert.False((bool)answer["errors"]!));
        var status = await _stack.StatusAsync(_stack.SidecarUrl, Index);
        Assert.Equal(100, (long)status["documents"]!);
        Assert.Equal(100, (long)status["current"]!);
        var projection = Assert.Single(await _stack.ProjectionsAsync(["Client 3 Document 24 of client 3."]));
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "c3-24"), "Client 3 Document 24 of client 3.", projection, _stack.ModelId);
    }

    [Fact]
    public async Task Update_PartialDocIsStale_UpsertGetsVectors_ThenBackfillMakesAllCurrent()
    {
        await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Put, $"/{Index}/_doc/30?refresh=true", """{"title":"Old title","text":"Body text."}""");
        var body = string.Join('\n',
            $$$"""{"update":{"_index":"{{{Index}}}","_id":"30"}}""",
            """{"doc":{"title":"New title"}}""",
            $$$"""{"update":{"_index":"{{{Index}}}","_id":"31"}}""",
            """{"doc":{"title":"Ignored"},"upsert":{"title":"Fresh","text":"Inserted by upsert."}}""") + "\n";

        var answer = await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", body, "application/x-ndjson");

        Assert.Equal([200, 201], answer["items"]!.AsArray().Select(i => (int)i!["update"]!["status"]!));
        var partial = await _stack.SourceAsync(Index, "30");
        Assert.Equal("partial_update", StoredFields.Stale(partial));
        Assert.Null(StoredFields.Projection(partial));
        Assert.Null(StoredFields.TextHash(partial));
        var projections = await _stack.ProjectionsAsync(["Fresh Inserted by upsert.", "New title Body text."]);
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "31"), "Fresh Inserted by upsert.", projections[0], _stack.ModelId);
        var before = await _stack.StatusAsync(_stack.SidecarUrl, Index);
        Assert.Equal(1, (long)before["stale"]!);

        await InProcessCli.OkAsync("ingest", "backfill", "--cluster", _stack.SidecarUrl, "--index", Index, "--model", _stack.Bundle, "--json");

        var after = await _stack.StatusAsync(_stack.SidecarUrl, Index);
        Assert.Equal(2, (long)after["documents"]!);
        Assert.Equal(2, (long)after["current"]!);
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "30"), "New title Body text.", projections[1], _stack.ModelId);
    }
}
