using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>Writers and readers at once over real HTTP: no acknowledged write is lost or seen out of order.</summary>
public sealed class ConcurrencyContractTests
{
    private const int Writers = 4;
    private const int WritesPerWriter = 60;
    private const int IdsPerWriter = 20;

    [Fact]
    public async Task WritersAndReaders_EveryAcknowledgedWriteIsThere_WithItsLatestVersion()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/live", """{"settings":{"number_of_replicas":0,"refresh_interval":"50ms"},"mappings":{"properties":{"body":{"type":"text"},"n":{"type":"long"}}}}""");
        var latest = new ConcurrentDictionary<string, (long Version, int N)>();
        var readerErrors = new ConcurrentQueue<string>();
        using var done = new CancellationTokenSource();

        // Each writer rewrites its own ids (single docs and two-item bulks alternating), so versions climb per id.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var id = $"w{w}-{i % IdsPerWriter}";
                if (i % 2 == 0)
                {
                    var response = await engine.PutAsync($"/live/_doc/{id}", $$"""{"body":"writer {{w}} write {{i}}","n":{{i}}}""");
                    Assert.True(response.StatusCode is 200 or 201, response.Text);
                    latest[id] = ((long)response.Json["_version"]!, i);
                }
                else
                {
                    var next = $"w{w}-{(i + 1) % IdsPerWriter}";
                    var response = await engine.BulkAsync("/live/_bulk",
                        $"{{\"index\":{{\"_id\":\"{id}\"}}}}\n{{\"body\":\"writer {w} write {i}\",\"n\":{i}}}\n" +
                        $"{{\"update\":{{\"_id\":\"{next}\"}}}}\n{{\"doc\":{{\"touched\":{i}}},\"doc_as_upsert\":true}}\n");
                    Assert.False((bool)response.Json["errors"]!, response.Text);
                    var items = response.Json["items"]!.AsArray();
                    latest[id] = ((long)items[0]!["index"]!["_version"]!, i);
                    var (_, n) = latest.GetValueOrDefault(next, (0, -1));
                    latest[next] = ((long)items[1]!["update"]!["_version"]!, n);
                }
            }
        })).ToList();

        // Readers search and get while the writers run; a get of an id must never show a version older than one
        // already acknowledged for it before the get started.
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var search = await engine.PostAsync("/live/_search", """{"query":{"match":{"body":"write"}},"size":20}""");
                if (search.StatusCode != 200)
                {
                    readerErrors.Enqueue(search.Text);
                }

                foreach (var (id, (version, _)) in latest.ToArray().Take(5))
                {
                    var got = await engine.GetAsync($"/live/_doc/{id}");
                    if (got.StatusCode != 200 || (long)got.Json["_version"]! < version)
                    {
                        readerErrors.Enqueue($"{id}: acknowledged version {version}, read {got.Text}");
                    }
                }
            }
        })).ToList();

        await Task.WhenAll(writers);
        await done.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(readerErrors);
        await engine.PostAsync("/live/_refresh");
        var count = await engine.GetAsync("/live/_count");
        Assert.Equal(Writers * IdsPerWriter, (long)count.Json["count"]!);
        foreach (var (id, (version, n)) in latest)
        {
            var got = await engine.GetAsync($"/live/_doc/{id}");
            Assert.Equal(version, (long)got.Json["_version"]!);
            if (n >= 0)
            {
                Assert.Equal(n, (int)got.Json["_source"]!["n"]!);
            }
        }
    }
}
