using System.Diagnostics;
using System.Text.Json.Nodes;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Ingest;

/// <summary>
/// SciFact (5,183 documents, ../shared/data/scifact) written straight into the engine, then <c>rerank ingest init</c>,
/// <c>backfill</c> and <c>status</c> with the tiny model: every document ends current.
/// </summary>
public sealed class SciFactBackfillTests(IngestEngine engine) : IClassFixture<IngestEngine>
{
    [Fact]
    public async Task Backfill_SciFactCorpus_StatusReportsEveryDocumentCurrent()
    {
        var folder = RepositoryPaths.RequireSharedCollection("scifact");
        var lines = (await File.ReadAllLinesAsync(Path.Combine(folder, "corpus.jsonl"), TestContext.Current.CancellationToken))
            .Where(line => line.Length > 0).ToList();
        var index = engine.NewIndexName();
        var init = CliRunner.Run("ingest", "init", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle, "--fields", "title,text");
        Assert.True(init.ExitCode == 0, init.Error);
        foreach (var chunk in lines.Chunk(1000))
        {
            await engine.BulkAsync(index, chunk.Select(line =>
            {
                var paper = JsonNode.Parse(line)!;
                return (paper["_id"]!.GetValue<string>(), new JsonObject { ["title"] = paper["title"]!.GetValue<string>(), ["text"] = paper["text"]!.GetValue<string>() });
            }));
        }

        var clock = Stopwatch.StartNew();
        var backfill = CliRunner.Run("ingest", "backfill", "--cluster", engine.Url, "--index", index, "--model", engine.Bundle, "--json");
        var seconds = clock.Elapsed.TotalSeconds;
        var status = CliRunner.Run("ingest", "status", "--cluster", engine.Url, "--index", index, "--json");

        Assert.True(backfill.ExitCode == 0, backfill.Error);
        TestContext.Current.SendDiagnosticMessage($"SciFact backfill: {lines.Count} documents in {seconds:F1} s: {backfill.Output.Trim()}");
        var counts = JsonNode.Parse(status.Output)!;
        Assert.Equal(5183, lines.Count);
        Assert.Equal(lines.Count, counts["documents"]!.GetValue<long>());
        Assert.Equal(lines.Count, counts["current"]!.GetValue<long>());
        Assert.Equal(lines.Count, JsonNode.Parse(backfill.Output)!["done"]!.GetValue<long>());
    }
}
