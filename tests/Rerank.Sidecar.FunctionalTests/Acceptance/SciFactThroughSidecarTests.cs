using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.Sidecar.FunctionalTests.Writes;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Acceptance;

/// <summary>
/// Issue 10's acceptance: SciFact (5,183 documents, ../shared/data/scifact) bulk-indexed through the sidecar in front
/// of the embedded engine ends all current; the same corpus written straight to the engine, then set up and
/// backfilled by <c>rerank ingest</c>, ends all current with the very same stored vectors, document by document.
/// </summary>
public sealed class SciFactThroughSidecarTests
{
    private const int Documents = 5183;
    private const int BulkSize = 500;

    [Fact]
    public async Task SciFact_ThroughTheSidecar_AllCurrent_AndEqualToTheBackfilledCopy()
    {
        var folder = RepositoryPaths.RequireSharedCollection("scifact");
        var papers = (await File.ReadAllLinesAsync(Path.Combine(folder, "corpus.jsonl"), TestContext.Current.CancellationToken))
            .Where(line => line.Length > 0)
            .Select(line => JsonNode.Parse(line)!)
            .Select(paper => ((string)paper["_id"]!, new JsonObject { ["title"] = (string)paper["title"]!, ["text"] = (string)paper["text"]! }.ToJsonString()))
            .ToList();
        Assert.Equal(Documents, papers.Count);
        var clock = Stopwatch.StartNew();
        await using var stack = await WritePathStack.StartAsync();

        // 1. Through the sidecar.
        await stack.InitAsync(stack.SidecarUrl, "scifact");
        await BulkAsync(stack.Sidecar, "scifact", papers);
        var throughSidecar = await stack.StatusAsync(stack.SidecarUrl, "scifact");
        var sidecarSeconds = clock.Elapsed.TotalSeconds;

        // 2. Straight into the engine, then init and backfill.
        await BulkAsync(stack.Engine, "scifact2", papers);
        await stack.InitAsync(stack.EngineUrl, "scifact2");
        var missing = await stack.StatusAsync(stack.EngineUrl, "scifact2");
        await InProcessCli.OkAsync("ingest", "backfill", "--cluster", stack.EngineUrl, "--index", "scifact2", "--model", stack.Bundle, "--json");
        var backfilled = await stack.StatusAsync(stack.EngineUrl, "scifact2");

        Assert.Equal(Documents, (long)throughSidecar["documents"]!);
        Assert.Equal(Documents, (long)throughSidecar["current"]!);
        Assert.Equal(Documents, (long)missing["missing"]!);
        Assert.Equal(Documents, (long)backfilled["documents"]!);
        Assert.Equal(Documents, (long)backfilled["current"]!);

        // 3. The stored vectors, model and hash of every document are the same in both.
        foreach (var chunk in papers.Chunk(BulkSize))
        {
            var ids = new JsonObject { ["ids"] = new JsonArray([.. chunk.Select(p => (JsonNode)p.Item1)]) }.ToJsonString();
            var first = (await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, "/scifact/_mget?_source_includes=rerank", ids))["docs"]!.AsArray();
            var second = (await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, "/scifact2/_mget?_source_includes=rerank", ids))["docs"]!.AsArray();
            Assert.Equal(chunk.Length, first.Count);
            Assert.Equal(chunk.Length, second.Count);
            for (var i = 0; i < chunk.Length; i++)
            {
                var a = first[i]!["_source"]!.AsObject();
                var b = second[i]!["_source"]!.AsObject();
                Assert.Equal(chunk[i].Item1, (string)first[i]!["_id"]!);
                Assert.Equal(chunk[i].Item1, (string)second[i]!["_id"]!);
                Assert.NotNull(StoredFields.Projection(a));
                Assert.Equal(StoredFields.Projection(a), StoredFields.Projection(b));
                Assert.Equal(stack.ModelId, StoredFields.Model(a));
                Assert.Equal(StoredFields.Model(a), StoredFields.Model(b));
                Assert.Equal(StoredFields.TextHash(a), StoredFields.TextHash(b));
            }
        }

        TestContext.Current.SendDiagnosticMessage($"SciFact acceptance: {Documents} documents through the sidecar (init, bulks of {BulkSize}, status) in {sidecarSeconds:F1} s; everything in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task BulkAsync(HttpClient client, string index, IReadOnlyList<(string Id, string Source)> papers)
    {
        foreach (var chunk in papers.Chunk(BulkSize))
        {
            var body = new StringBuilder();
            foreach (var (id, source) in chunk)
            {
                body.Append(new JsonObject { ["index"] = new JsonObject { ["_index"] = index, ["_id"] = id } }.ToJsonString()).Append('\n');
                body.Append(source).Append('\n');
            }

            var answer = await WritePathStack.OkAsync(client, HttpMethod.Post, "/_bulk", body.ToString(), "application/x-ndjson");
            Assert.False((bool)answer["errors"]!, "a bulk item failed");
        }

        await WritePathStack.OkAsync(client, HttpMethod.Post, $"/{index}/_refresh");
    }
}
