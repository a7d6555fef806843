using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Encoding;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Tests.Ingest;

/// <summary>
/// The backfill library against the embedded engine where the CLI cannot reach: a write that races the backfill
/// (through its test seam between encoding and writing) and a model that fails.
/// </summary>
public sealed class BackfillRunnerTests(IngestEngine engine) : IClassFixture<IngestEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_TextRewrittenBetweenScanAndWrite_NewerWriteWinsAndGetsVectorsOfItsText()
    {
        var index = Init();
        await engine.BulkAsync(index, Enumerable.Range(0, 10).Select(i => ($"d{i}", new JsonObject { ["title"] = $"t{i}", ["text"] = $"original text {i}" })));
        using var model = StudentModel.Load(engine.Bundle);
        var writes = 0;
        var runner = new BackfillRunner(Client(), new StudentPassageEncoder(model))
        {
            // Before the first batch is written, another client rewrites d3's text (and leaves its other fields).
            BeforeWrite = async (ids, _) =>
            {
                if (Interlocked.Increment(ref writes) == 1)
                {
                    Assert.Contains("d3", ids);
                    await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/d3", """{"doc": {"text": "rewritten while the backfill encoded", "extra": 1}}""");
                }
            },
        };

        var report = await runner.RunAsync(index, new BackfillOptions { BatchSize = 4 }, Ct);

        Assert.Equal(1, report.Conflicts);
        Assert.Equal(10, report.Done);
        Assert.Equal(0, report.Failed);
        var d3 = await engine.SourceAsync(index, "d3");
        // The update is not lost...
        Assert.Equal("rewritten while the backfill encoded", d3["text"]!.GetValue<string>());
        Assert.Equal(1, d3["extra"]!.GetValue<int>());
        // ...and the vectors are those of its text, as `rerank model encode` computes them.
        var expected = engine.Encode(engine.Bundle, ["t3 rewritten while the backfill encoded"])[0];
        Assert.Equal(IngestEngine.Sha256("t3 rewritten while the backfill encoded"), d3["rerank"]!["text_hash"]!.GetValue<string>());
        Assert.Equal(ProjectionCodec.Encode(expected.Projection, ProjectionEncoding.Float16).GetValue<string>(), d3["rerank"]!["projection"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_DocumentRewrittenBeforeEveryWrite_GivesUpAfterTheRetriesAndKeepsTheLastWrite()
    {
        var index = Init();
        await engine.BulkAsync(index, [("hot", new JsonObject { ["text"] = "version 0" }), ("cold", new JsonObject { ["text"] = "quiet" })]);
        using var model = StudentModel.Load(engine.Bundle);
        var version = 0;
        var runner = new BackfillRunner(Client(), new StudentPassageEncoder(model))
        {
            BeforeWrite = async (ids, _) =>
            {
                if (ids.Contains("hot"))
                {
                    version++;
                    await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/hot", new JsonObject { ["doc"] = new JsonObject { ["text"] = $"version {version}" } }.ToJsonString());
                }
            },
        };

        var report = await runner.RunAsync(index, new BackfillOptions { MaxConflictRetries = 3 }, Ct);

        // The batch write and three fresh reads, each beaten by a newer write.
        Assert.Equal(4, report.Conflicts);
        Assert.Equal(1, report.Failed);
        Assert.Equal(1, report.Done);
        Assert.Contains("[hot] still conflicting after 3 fresh reads", report.FailureSamples[0], StringComparison.Ordinal);
        var hot = await engine.SourceAsync(index, "hot");
        Assert.Equal("version 4", hot["text"]!.GetValue<string>());
        Assert.Null(hot["rerank"]);
    }

    [Fact]
    public async Task RunAsync_ConcurrentRewrites_NoUpdateLostAndASecondRunMakesEveryDocumentCurrent()
    {
        var index = Init();
        const int count = 60;
        await engine.BulkAsync(index, Enumerable.Range(0, count).Select(i => ($"d{i}", new JsonObject { ["text"] = $"first version {i}" })));
        using var model = StudentModel.Load(engine.Bundle);
        var last = new Dictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested && round < 200; round++)
            {
                var id = $"d{(round * 7) % count}";
                var text = $"version {round} of {id}";
                await engine.OkAsync(HttpMethod.Post, $"/{index}/_update/{id}", new JsonObject { ["doc"] = new JsonObject { ["text"] = text } }.ToJsonString());
                last[id] = text;
            }
        }, Ct);

        var first = await new BackfillRunner(Client(), new StudentPassageEncoder(model)).RunAsync(index, new BackfillOptions { BatchSize = 8 }, Ct);
        await stop.CancelAsync();
        await writer;
        var second = await new BackfillRunner(Client(), new StudentPassageEncoder(model)).RunAsync(index, new BackfillOptions { BatchSize = 8 }, Ct);

        Assert.Equal(0, first.Failed + second.Failed);
        for (var i = 0; i < count; i++)
        {
            var source = await engine.SourceAsync(index, $"d{i}");
            var text = source["text"]!.GetValue<string>();
            Assert.Equal(last.GetValueOrDefault($"d{i}", $"first version {i}"), text);
            Assert.Equal(IngestEngine.Sha256(text), source["rerank"]!["text_hash"]!.GetValue<string>());
        }

        var status = await IndexStatusCounter.CountAsync(Client(), index, Ct);
        Assert.Equal(count, status.Current);
    }

    [Fact]
    public async Task RunAsync_ModelThrows_CountsEveryDocumentFailedAndWritesNothing()
    {
        var index = Init();
        await engine.BulkAsync(index, Enumerable.Range(0, 5).Select(i => ($"d{i}", new JsonObject { ["text"] = $"text {i}" })));
        using var model = StudentModel.Load(engine.Bundle);

        var report = await new BackfillRunner(Client(), new ThrowingEncoder(new StudentPassageEncoder(model))).RunAsync(index, new BackfillOptions { BatchSize = 2 }, Ct);

        Assert.Equal(5, report.Failed);
        Assert.Equal(0, report.Done);
        Assert.Contains("the model failed: injected failure", report.FailureSamples[0], StringComparison.Ordinal);
        Assert.Null((await engine.SourceAsync(index, "d0"))["rerank"]);
    }

    private ElasticsearchClient Client() => new(new ElasticsearchClientSettings(new Uri(engine.Url)));

    private string Init()
    {
        var index = engine.NewIndexName();
        var result = CliRunner.Run("ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle, "--fields", "title,text");
        Assert.True(result.ExitCode == 0, result.Error);
        return index;
    }

    private sealed class ThrowingEncoder(IPassageEncoder inner) : IPassageEncoder
    {
        public string ModelId => inner.ModelId;

        public int Dim => inner.Dim;

        public int ProjectionDim => inner.ProjectionDim;

        public PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("injected failure");
    }
}
