using System.Globalization;
using System.Text;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// <c>rerank ingest backfill</c> running while clients rewrite documents through the sidecar: no update is lost
/// (every document keeps its newest text) and every document ends current, with the vectors of that newest text.
/// </summary>
public sealed class BackfillRaceTests
{
    private const int Documents = 300;

    [Fact]
    public async Task Backfill_WhileUpdatesGoThroughTheSidecar_LosesNoUpdate_AndEndsAllCurrent()
    {
        await using var stack = await WritePathStack.StartAsync();
        await stack.InitAsync(stack.SidecarUrl, "books");
        var bulk = new StringBuilder();
        for (var i = 0; i < Documents; i++)
        {
            bulk.Append(CultureInfo.InvariantCulture, $"{{\"index\":{{\"_index\":\"books\",\"_id\":\"{i}\"}}}}\n{{\"title\":\"Old {i}\",\"text\":\"first text\"}}\n");
        }

        // Written straight to the engine: no vectors, so backfill has every document to do.
        await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, "/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        var updated = Enumerable.Range(0, Documents).Where(i => i % 3 == 0).ToList();

        var backfill = InProcessCli.OkAsync("ingest", "backfill", "--cluster", stack.EngineUrl, "--index", "books", "--model", stack.Bundle, "--batch", "16", "--json");
        foreach (var i in updated)
        {
            await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Put, $"/books/_doc/{i}", $"{{\"title\":\"New {i}\",\"text\":\"second text\"}}");
        }

        // How much the two overlapped varies from run to run (the report's conflicts); the outcome must not.
        TestContext.Current.SendDiagnosticMessage($"backfill during updates: {(await backfill).Trim()}");
        await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, "/books/_refresh");

        var status = await stack.StatusAsync(stack.SidecarUrl, "books");
        Assert.Equal(Documents, (long)status["documents"]!);
        Assert.Equal(Documents, (long)status["current"]!);
        var texts = Enumerable.Range(0, Documents).Select(i => updated.Contains(i) ? $"New {i} second text" : $"Old {i} first text").ToList();
        var projections = await stack.ProjectionsAsync(texts);
        for (var i = 0; i < Documents; i++)
        {
            var source = await stack.SourceAsync("books", i.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(texts[i], $"{(string)source["title"]!} {(string)source["text"]!}");
            StoredFields.AssertCurrent(source, texts[i], projections[i], stack.ModelId);
        }
    }
}
