using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Cli.Tests.Ingest;

/// <summary>
/// <c>rerank ingest status</c> and <c>backfill</c> on the embedded engine. Expected vectors come from
/// <c>rerank model encode</c> (one passage at a time) and expected hashes from a SHA-256 computed here. Indices use
/// the default projection encoding, float16 (a <c>binary</c> field), unless a test names another.
/// </summary>
public sealed class IngestBackfillCommandTests(IngestEngine engine) : IClassFixture<IngestEngine>
{
    // The embedding (and a float32 projection) is stored as JSON numbers; batched and one-at-a-time encodings agree to
    // float rounding.
    private const float Tolerance = 1e-4f;

    [Fact]
    public async Task Status_HandBuiltIndex_CountsEachStateAsDocumented()
    {
        var index = Init();
        var texts = new[] { "alpha one", "beta two", "gamma three", "delta four", "epsilon five", "zeta six" };
        var encoded = engine.Encode(engine.Bundle, [.. texts.Select(t => Title(t) + " " + Body(t))]);
        JsonObject Doc(int i, JsonObject? rerank)
        {
            var doc = new JsonObject { ["title"] = Title(texts[i]), ["text"] = Body(texts[i]) };
            if (rerank is not null)
            {
                doc["rerank"] = rerank;
            }

            return doc;
        }

        JsonObject Stored(int i, string model, string hash, string? stale = null)
        {
            var rerank = new JsonObject
            {
                ["projection"] = ProjectionCodec.Encode(encoded[i].Projection, ProjectionEncoding.Float16),
                ["model"] = model,
                ["text_hash"] = hash,
            };
            if (stale is not null)
            {
                rerank["stale"] = stale;
            }

            return rerank;
        }

        string Hash(int i) => IngestEngine.Sha256(Title(texts[i]) + " " + Body(texts[i]));
        await engine.BulkAsync(index,
        [
            ("current1", Doc(0, Stored(0, engine.ModelId, Hash(0)))),
            ("missing", Doc(1, null)),
            ("marked", Doc(2, Stored(2, engine.ModelId, Hash(2), stale: "model_error"))),
            ("wronghash", Doc(3, Stored(3, engine.ModelId, Hash(2)))),
            ("othermodel", Doc(4, Stored(4, engine.OtherModelId, Hash(4)))),
            ("current2", Doc(5, Stored(5, engine.ModelId, Hash(5)))),
            // Marked stale by the write path without vectors: stale (the mark decides).
            ("markednovectors", new JsonObject { ["title"] = "x", ["rerank"] = new JsonObject { ["stale"] = "queue_full" } }),
        ]);

        var status = Status(index);

        Assert.Equal(7, status["documents"]);
        Assert.Equal(2, status["current"]);
        Assert.Equal(1, status["missing"]);
        Assert.Equal(3, status["stale"]);
        Assert.Equal(1, status["other_model"]);
    }

    [Fact]
    public async Task Status_Json_HasExactlyTheDocumentedIntegerKeys()
    {
        var index = Init();
        await engine.BulkAsync(index, [("a", new JsonObject { ["title"] = "t", ["text"] = "u" })]);

        var result = CliRunner.Run("ingest", "status", "--cluster", engine.Url, "--index", index, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(["documents", "current", "missing", "stale", "other_model"], json.Select(p => p.Key));
        Assert.All(json, p => Assert.Equal(System.Text.Json.JsonValueKind.Number, p.Value!.GetValueKind()));
        Assert.Equal(1, json["missing"]!.GetValue<long>());
    }

    [Fact]
    public async Task Backfill_MixedIndex_EncodesAllNotCurrent_StoredVectorsEqualModelEncode()
    {
        var index = Init(embedding: true);
        var documents = Enumerable.Range(0, 23).Select(i => (Id: $"d{i}", Title: $"title {i}", Text: $"passage number {i} about topic {i % 4}")).ToList();
        await engine.BulkAsync(index, documents.Select(d => (d.Id, new JsonObject { ["title"] = d.Title, ["text"] = d.Text })));
        // One document already current (written by hand from `model encode`), one of another model, one marked stale.
        var expected = engine.Encode(engine.Bundle, [.. documents.Select(d => d.Title + " " + d.Text)]);
        await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/d0?refresh=true", new JsonObject
        {
            ["doc"] = new JsonObject { ["rerank"] = new JsonObject
            {
                ["projection"] = ProjectionCodec.Encode(expected[0].Projection, ProjectionEncoding.Float16),
                ["embedding"] = new JsonArray([.. expected[0].Embedding.Select(v => (JsonNode)v)]),
                ["model"] = engine.ModelId,
                ["text_hash"] = IngestEngine.Sha256(documents[0].Title + " " + documents[0].Text),
            } },
        }.ToJsonString());
        await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/d1?refresh=true", new JsonObject
        {
            ["doc"] = new JsonObject { ["rerank"] = new JsonObject
            {
                ["projection"] = ProjectionCodec.Encode([1, 2, 3, 4, 5, 6, 7, 8], ProjectionEncoding.Float16),
                ["model"] = "someone-else",
                ["text_hash"] = "sha256:00",
            } },
        }.ToJsonString());
        await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/d2?refresh=true", """{"doc": {"rerank": {"stale": "script_update"}}}""");

        var report = Backfill(index, "--batch", "5");
        var status = Status(index);

        Assert.Equal(22, report["done"]);
        Assert.Equal(1, report["skipped"]);
        Assert.Equal(0, report["failed"]);
        Assert.Equal(0, report["conflicts"]);
        Assert.Equal(23, status["current"]);
        Assert.Equal(23, status["documents"]);
        for (var i = 0; i < documents.Count; i++)
        {
            var source = await engine.SourceAsync(index, documents[i].Id);
            var rerank = source["rerank"]!.AsObject();
            Assert.Equal(engine.ModelId, rerank["model"]!.GetValue<string>());
            Assert.Equal(IngestEngine.Sha256(documents[i].Title + " " + documents[i].Text), rerank["text_hash"]!.GetValue<string>());
            Assert.Null(rerank["stale"]);
            // The exact base64 of the halves of `model encode`'s projection (docs/index-config.md's layout).
            Assert.Equal(ProjectionCodec.Encode(expected[i].Projection, ProjectionEncoding.Float16).GetValue<string>(), rerank["projection"]!.GetValue<string>());
            AssertClose(expected[i].Embedding, rerank["embedding"]!, documents[i].Id);
            // The text is untouched.
            Assert.Equal(documents[i].Text, source["text"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("int8")]
    public async Task Backfill_OtherEncodings_StoreTheCodecOfModelEncode(string encoding)
    {
        var index = Init(encoding: encoding);
        var documents = Enumerable.Range(0, 7).Select(i => (Id: $"e{i}", Title: $"heading {i}", Text: $"an abstract of study {i} on cells")).ToList();
        await engine.BulkAsync(index, documents.Select(d => (d.Id, new JsonObject { ["title"] = d.Title, ["text"] = d.Text })));
        var expected = engine.Encode(engine.Bundle, [.. documents.Select(d => d.Title + " " + d.Text)]);

        var report = Backfill(index, "--batch", "3");

        Assert.Equal(7, report["done"]);
        Assert.Equal(7, Status(index)["current"]);
        for (var i = 0; i < documents.Count; i++)
        {
            var stored = (await engine.SourceAsync(index, documents[i].Id))["rerank"]!["projection"]!;
            if (encoding == "float32")
            {
                // A dense_vector: H JSON numbers.
                AssertClose(expected[i].Projection, stored, documents[i].Id);
            }
            else
            {
                // Base64 of the float32 scale max|x|/127 and H rounded bytes.
                Assert.Equal(ProjectionCodec.Encode(expected[i].Projection, ProjectionEncoding.Int8).GetValue<string>(), stored.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Backfill_SecondRun_SkipsEveryDocument()
    {
        var index = Init();
        await engine.BulkAsync(index, Enumerable.Range(0, 9).Select(i => ($"d{i}", new JsonObject { ["text"] = $"text {i}" })));

        var first = Backfill(index);
        var second = Backfill(index, "--batch", "2");

        Assert.Equal((9, 0), (first["done"], first["skipped"]));
        Assert.Equal((0, 9), (second["done"], second["skipped"]));
    }

    [Fact]
    public async Task Backfill_TwoSlices_TogetherEncodeEveryDocumentExactlyOnce()
    {
        var index = Init();
        await engine.BulkAsync(index, Enumerable.Range(0, 40).Select(i => ($"d{i}", new JsonObject { ["text"] = $"sliced text {i}" })));

        var pit = CliRunner.Run("ingest", "pit", "--cluster", engine.Url, "--index", index, "--keep-alive", "10m");
        Assert.True(pit.ExitCode == 0, pit.Error);
        var slice0 = Backfill(index, "--slice", "0/2", "--batch", "4", "--pit", pit.Output.Trim());
        var slice1 = Backfill(index, "--slice", "1/2", "--batch", "4", "--pit", pit.Output.Trim());

        // Had a document been in both slices, the second run would have found it current and skipped it (the shared
        // point in time is the snapshot from before either wrote, so it would show the document's old version, and the
        // write would then conflict: conflicts must be 0 too).
        Assert.Equal((0, 0), (slice0["skipped"], slice1["skipped"]));
        Assert.Equal((0, 0), (slice0["conflicts"], slice1["conflicts"]));
        Assert.Equal(40, slice0["done"] + slice1["done"]);
        Assert.InRange(slice0["done"], 1, 39);
        Assert.Equal(40, Status(index)["current"]);
    }

    [Fact]
    public async Task Backfill_BundleOfAnotherModel_RefusesNamingBothModels()
    {
        var index = Init();
        await engine.BulkAsync(index, [("a", new JsonObject { ["text"] = "t" })]);

        var result = CliRunner.Run("ingest", "backfill", "--cluster", engine.Url, "--index", index, "--model", engine.OtherBundle);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"configured for model [{engine.ModelId}]", line, StringComparison.Ordinal);
        Assert.Contains($"the bundle is model [{engine.OtherModelId}]", line, StringComparison.Ordinal);
        Assert.Equal(1, Status(index)["missing"]);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("backfill")]
    public void Command_MissingIndex_IsOneErrorLine(string command)
    {
        string[] args = command == "status"
            ? ["ingest", "status", "--cluster", engine.Url, "--index", "nosuchindex"]
            : ["ingest", "backfill", "--cluster", engine.Url, "--index", "nosuchindex", "--model", engine.Bundle];

        var result = CliRunner.Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: index [nosuchindex] does not exist (create and init it with `rerank ingest init`)", result.Error.Trim());
    }

    [Fact]
    public async Task Status_IndexWithoutConfig_SaysToRunInit()
    {
        var index = engine.NewIndexName();
        await engine.OkAsync(HttpMethod.Put, $"/{index}", "{}");

        var result = CliRunner.Run("ingest", "status", "--cluster", engine.Url, "--index", index);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: index [{index}] has no [_meta.rerank] in its mapping; run `rerank ingest init` on it first", result.Error.Trim());
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("0/1")]
    [InlineData("a/b")]
    public void Backfill_BadSlice_IsOneErrorLine(string slice)
    {
        var result = CliRunner.Run("ingest", "backfill", "--cluster", engine.Url, "--index", "x", "--model", engine.Bundle, "--slice", slice);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --slice", result.Error, StringComparison.Ordinal);
    }

    private static string Title(string text) => text.Split(' ')[0];

    private static string Body(string text) => text.Split(' ')[1];

    private static void AssertClose(float[] expected, JsonNode stored, string id)
    {
        var actual = stored.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"{id}: max |stored - encoded| = {worst.ToString(CultureInfo.InvariantCulture)}");
    }

    private string Init(bool embedding = false, string? encoding = null)
    {
        var index = engine.NewIndexName();
        string[] args = ["ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle, "--fields", "title,text"];
        args = encoding is null ? args : [.. args, "--projection-encoding", encoding];
        var result = CliRunner.Run(embedding ? [.. args, "--embedding"] : args);
        Assert.True(result.ExitCode == 0, result.Error);
        return index;
    }

    private Dictionary<string, long> Status(string index)
    {
        var result = CliRunner.Run("ingest", "status", "--cluster", engine.Url, "--index", index, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonNode.Parse(result.Output)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>());
    }

    private Dictionary<string, long> Backfill(string index, params string[] extra)
    {
        var result = CliRunner.Run(["ingest", "backfill", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        return JsonNode.Parse(result.Output)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>());
    }
}
