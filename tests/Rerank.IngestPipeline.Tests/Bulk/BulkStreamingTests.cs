using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Tests.Writes;

namespace Rerank.IngestPipeline.Tests.Bulk;

/// <summary>A large bulk streams through in bounded windows: never more than the window's items or bytes held.</summary>
public sealed class BulkStreamingTests(TinyModel tiny) : IClassFixture<TinyModel>
{
    [Fact]
    public async Task RewriteBulkAsync_FiftyThousandDocuments_WindowStaysWithinItsBounds()
    {
        const int Documents = 50_000;
        var options = new EncodingOptions { BulkWindowDocuments = 256, BulkWindowBytes = 16 * 1024, MaxDelay = TimeSpan.Zero };
        using var harness = new PipelineHarness(tiny.Model, options);

        // Every 50th document is in the enabled index (1,000 encoded); the rest pass through.
        static string Item(int i) => i % 50 == 0
            ? $"{{\"index\":{{\"_index\":\"docs\",\"_id\":\"{i}\"}}}}\n{{\"title\":\"doc {i}\",\"text\":\"some words {i % 7}\"}}\n"
            : $"{{\"index\":{{\"_index\":\"other\",\"_id\":\"{i}\"}}}}\n{{\"title\":\"doc {i}\",\"text\":\"{new string('x', i % 300)}\"}}\n";
        var longestLine = Enumerable.Range(0, Documents).Max(i => Item(i).Split('\n').Max(l => l.Length + 1));
        using var input = new GeneratedBulkStream(Documents, Item);
        using var output = new LineCountingStream("\"projection\""u8.ToArray());

        var summary = await harness.Pipeline.RewriteBulkAsync(input, output, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(Documents, summary.Items);
        Assert.Equal(2 * Documents, output.Lines);
        Assert.Equal(Documents / 50, output.MarkedLines);
        Assert.Equal(Documents / 50, summary.Encoded);
        Assert.InRange(summary.PeakWindowItems, 1, options.BulkWindowDocuments);
        // A window is written out once it reaches its byte bound at an item boundary: at most one item (two lines) over.
        Assert.InRange(summary.PeakWindowBytes, 1, options.BulkWindowBytes + (2 * longestLine));
    }
}
