using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// The model throws on one call in the middle of a bulk: every document is still written, the failed ones without
/// vectors and marked <c>model_error</c> (and counted stale by <c>rerank ingest status</c>), and
/// <c>rerank ingest backfill</c> then brings every document up to date.
/// </summary>
public sealed class ModelFailureTests
{
    [Fact]
    public async Task Bulk_ModelThrowsMidBulk_EveryDocumentWritten_FailedOnesStale_ThenBackfillMakesAllCurrent()
    {
        // Four texts per model call, at once: the bulk's twelve texts go to the model in three calls; the second throws.
        await using var stack = await WritePathStack.StartAsync(new EncodingOptions { MaxBatch = 4, MaxDelay = TimeSpan.Zero, EncodeTimeout = TimeSpan.FromMinutes(2), MaxWait = TimeSpan.FromMinutes(2) });
        await stack.InitAsync(stack.SidecarUrl, "books");
        stack.Encoders.FailCalls.Add(2);
        var texts = Enumerable.Range(1, 12).ToDictionary(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture), i => $"Title {i} Text number {i} of twelve.");
        var body = string.Concat(texts.Select(t => $"{{\"index\":{{\"_index\":\"books\",\"_id\":\"{t.Key}\"}}}}\n{{\"title\":\"Title {t.Key}\",\"text\":\"Text number {t.Key} of twelve.\"}}\n"));

        var answer = await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", body, "application/x-ndjson");

        Assert.False((bool)answer["errors"]!);
        Assert.Equal(Enumerable.Repeat(201, 12), answer["items"]!.AsArray().Select(i => (int)i!["index"]!["status"]!));
        var failed = stack.Encoders.FailedTexts.ToHashSet();
        Assert.NotEmpty(failed);
        Assert.True(failed.Count < texts.Count, "only one call of several fails");
        var projections = await stack.ProjectionsAsync([.. texts.Values]);
        foreach (var ((id, text), projection) in texts.Zip(projections))
        {
            var source = await stack.SourceAsync("books", id);
            if (failed.Contains(text))
            {
                Assert.Equal("model_error", StoredFields.Stale(source));
                Assert.Null(StoredFields.Projection(source));
                Assert.Null(StoredFields.Model(source));
                Assert.Null(StoredFields.TextHash(source));
            }
            else
            {
                StoredFields.AssertCurrent(source, text, projection, stack.ModelId);
            }
        }

        var before = await stack.StatusAsync(stack.SidecarUrl, "books");
        Assert.Equal(12, (long)before["documents"]!);
        Assert.Equal(failed.Count, (long)before["stale"]!);
        Assert.Equal(12 - failed.Count, (long)before["current"]!);

        await InProcessCli.OkAsync("ingest", "backfill", "--cluster", stack.SidecarUrl, "--index", "books", "--model", stack.Bundle, "--json");

        var after = await stack.StatusAsync(stack.SidecarUrl, "books");
        Assert.Equal(12, (long)after["documents"]!);
        Assert.Equal(12, (long)after["current"]!);
        Assert.Equal(0, (long)after["stale"]!);
        foreach (var ((id, text), projection) in texts.Zip(projections))
        {
            StoredFields.AssertCurrent(await stack.SourceAsync("books", id), text, projection, stack.ModelId);
        }
    }

    private static string Bulk(int count) => string.Concat(Enumerable.Range(1, count).Select(i =>
        $"{{\"index\":{{\"_index\":\"books\",\"_id\":\"{i}\"}}}}\n{{\"title\":\"Title {i}\",\"text\":\"Text {i}.\"}}\n"));

    [Fact]
    public async Task Bulk_ModelStuck_EveryDocumentWrittenStaleTimeout_ThenBackfillMakesAllCurrent()
    {
        await using var stack = await WritePathStack.StartAsync(new EncodingOptions { EncodeTimeout = TimeSpan.FromMilliseconds(200) });
        await stack.InitAsync(stack.SidecarUrl, "books");
        stack.Encoders.Gate.Reset();

        // The model does not return until the test lets it: the write must not wait for it (the client gives up after 2 minutes).
        JsonNode answer;
        try
        {
            answer = await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", Bulk(3), "application/x-ndjson");
        }
        finally
        {
            stack.Encoders.Gate.Set();
        }

        Assert.Equal(Enumerable.Repeat(201, 3), answer["items"]!.AsArray().Select(i => (int)i!["index"]!["status"]!));
        foreach (var id in new[] { "1", "2", "3" })
        {
            var source = await stack.SourceAsync("books", id);
            Assert.Equal("timeout", StoredFields.Stale(source));
            Assert.Null(StoredFields.Projection(source));
        }

        Assert.Equal(3, (long)(await stack.StatusAsync(stack.SidecarUrl, "books"))["stale"]!);
        await InProcessCli.OkAsync("ingest", "backfill", "--cluster", stack.EngineUrl, "--index", "books", "--model", stack.Bundle, "--json");
        Assert.Equal(3, (long)(await stack.StatusAsync(stack.SidecarUrl, "books"))["current"]!);
    }

    [Fact]
    public async Task Bulk_QueueFull_TextsBeyondTheRoomWrittenStaleQueueFull()
    {
        await using var stack = await WritePathStack.StartAsync(new EncodingOptions { QueueCapacity = 2, EncodeTimeout = TimeSpan.FromMinutes(2), MaxWait = TimeSpan.FromMinutes(2) });
        await stack.InitAsync(stack.SidecarUrl, "books");

        var answer = await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", Bulk(5), "application/x-ndjson");

        Assert.Equal(Enumerable.Repeat(201, 5), answer["items"]!.AsArray().Select(i => (int)i!["index"]!["status"]!));
        var stale = new List<string?>();
        foreach (var id in new[] { "1", "2", "3", "4", "5" })
        {
            stale.Add(StoredFields.Stale(await stack.SourceAsync("books", id)));
        }

        // Room for two texts: two are encoded, three are marked, none is lost.
        Assert.Equal(2, stale.Count(s => s is null));
        Assert.Equal(3, stale.Count(s => s == "queue_full"));
        var status = await stack.StatusAsync(stack.SidecarUrl, "books");
        Assert.Equal(5, (long)status["documents"]!);
        Assert.Equal(2, (long)status["current"]!);
        Assert.Equal(3, (long)status["stale"]!);
    }
}
