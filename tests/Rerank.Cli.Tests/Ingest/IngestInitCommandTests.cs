using System.Net;
using System.Text.Json.Nodes;

namespace Rerank.Cli.Tests.Ingest;

public sealed class IngestInitCommandTests(IngestEngine engine) : IClassFixture<IngestEngine>
{
    [Fact]
    public async Task Init_NewIndex_CreatesItWithTheDocumentedMetaAndFieldMappings()
    {
        var index = engine.NewIndexName();

        var result = CliRunner.Run("ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle,
            "--fields", "title,text", "--embedding");

        Assert.True(result.ExitCode == 0, result.Error);
        var mappings = (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))![index]!["mappings"]!;
        // docs/index-config.md, every key written out; d = 16 and H = 8 from the bundle's manifest.
        var expectedMeta = JsonNode.Parse($$$"""
            {"rerank": {"version": 1, "enabled": true, "model": "{{{engine.ModelId}}}", "text_fields": ["title", "text"],
              "separator": " ", "projection_encoding": "float16",
              "fields": {"projection": "rerank.projection", "model": "rerank.model", "text_hash": "rerank.text_hash",
                         "stale": "rerank.stale", "embedding": "rerank.embedding"},
              "window": 100, "max_window": 1000, "budget_ms": 200, "score_mode": "linear", "linear_weight": 0.5,
              "rrf_k": 60, "max_missing_fraction": 0.5}}
            """);
        // The default encoding, float16, is a binary field with doc values. The engine echoes the default
        // index_options of an indexed dense_vector, as Elasticsearch 8.14+ does.
        var expectedProperties = JsonNode.Parse("""
            {"rerank": {"properties": {
              "embedding": {"type": "dense_vector", "dims": 16, "index": true, "similarity": "cosine",
                            "index_options": {"type": "int8_hnsw", "m": 16, "ef_construction": 100}},
              "model": {"type": "keyword"},
              "projection": {"type": "binary", "doc_values": true},
              "stale": {"type": "keyword"},
              "text_hash": {"type": "keyword"}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expectedMeta, mappings["_meta"]), mappings["_meta"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expectedProperties, mappings["properties"]), mappings["properties"]!.ToJsonString());
        Assert.Contains($"index [{index}] created", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_TwiceThenAnotherModel_IsIdempotentSwitchesTheModelAndKeepsOtherMetaKeys()
    {
        var index = engine.NewIndexName();
        await engine.OkAsync(HttpMethod.Put, $"/{index}", """{"mappings": {"_meta": {"owner": "search-team"}, "properties": {"title": {"type": "text"}}}}""");
        string[] Init(string bundle) =>
            ["ingest", "init", "--cluster", engine.Url, "--index", index, "--model", bundle, "--fields", "title"];

        var first = CliRunner.Run(Init(engine.Bundle));
        var afterFirst = (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))![index]!["mappings"]!.ToJsonString();
        var second = CliRunner.Run(Init(engine.Bundle));
        var afterSecond = (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))![index]!["mappings"]!.ToJsonString();
        var third = CliRunner.Run(Init(engine.OtherBundle));
        var afterThird = (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))![index]!["mappings"]!;

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(third.ExitCode == 0, third.Error);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal("search-team", afterThird["_meta"]!["owner"]!.GetValue<string>());
        Assert.Equal(engine.OtherModelId, afterThird["_meta"]!["rerank"]!["model"]!.GetValue<string>());
        Assert.Contains($"was set up for model {engine.ModelId}", third.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("created", first.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_StoredFieldOfAnotherTypeAndNumericTextField_RefusesNamingEachDifference()
    {
        var index = engine.NewIndexName();
        await engine.OkAsync(HttpMethod.Put, $"/{index}", """
            {"mappings": {"properties": {"title": {"type": "long"}, "text": {"type": "text"},
              "rerank": {"properties": {"projection": {"type": "keyword"}, "model": {"type": "keyword"}}}}}}
            """);
        var before = (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))!.ToJsonString();

        var result = CliRunner.Run("ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle,
            "--fields", "title,text");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("[rerank.projection] is mapped as [keyword] but the config needs [binary, doc_values true]", line, StringComparison.Ordinal);
        Assert.Contains("text field [title] is mapped as [long]", line, StringComparison.Ordinal);
        Assert.DoesNotContain("[text]", line, StringComparison.Ordinal);
        // Nothing was changed.
        Assert.Equal(before, (await engine.OkAsync(HttpMethod.Get, $"/{index}/_mapping"))!.ToJsonString());
    }

    [Fact]
    public async Task Init_Float32VectorOfOtherDims_RefusesNamingTheDims()
    {
        // float32 stores u_p as a dense_vector of H dims, so the dims are compared.
        var index = engine.NewIndexName();
        await engine.OkAsync(HttpMethod.Put, $"/{index}", """
            {"mappings": {"properties": {"rerank": {"properties": {"projection": {"type": "dense_vector", "dims": 12, "index": false}}}}}}
            """);

        var result = CliRunner.Run("ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle,
            "--fields", "text", "--projection-encoding", "float32");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[rerank.projection] is mapped as [dense_vector, dims 12, index false] but the config needs [dense_vector, dims 8, index false]; dims 12 instead of 8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_UnreachableCluster_IsOneErrorLine()
    {
        // A port nobody listens on: bind one, note it, close it.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = CliRunner.Run("ingest", "init", "--cluster", $"http://127.0.0.1:{port}", "--index", "x", "--model", engine.Bundle, "--fields", "text");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot reach the cluster at http://127.0.0.1:{port}", line, StringComparison.Ordinal);
    }
}
