using System.Text.Json;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>
/// <see cref="Rerank.IngestPipeline.Writes.WritePipeline.RewriteBulkAsync"/> with the tiny real model: stored vectors
/// against the model run on each document's text alone, byte-for-byte pass-through, failures written stale.
/// </summary>
public sealed class WritePipelineBulkTests(TinyModel tiny) : IClassFixture<TinyModel>
{
    // The passage texts below are composed by hand from title + " " + text (docs/index-config.md).
    private const string Body =
        "{\"index\":{\"_index\":\"docs\",\"_id\":\"1\"}}\n" +
        "{\"title\":\"A cat\",\"text\":\"sat on the mat\",\"year\":2024}\n" +
        "{\"create\":{\"_index\":\"docs\",\"_id\":\"2\"}}\n" +
        "{\"title\":\"Gluons\",\"text\":[\"bind\",\"quarks\",3]}\n" +
        "{\"index\":{\"_id\":\"3\"}}\n" +
        "{\"text\":\"Zürich \\u00e9t\\u00e9 \\\"quoted\\\"\"}\n";

    private static readonly string[] BodyTexts = ["A cat sat on the mat", "Gluons bind quarks 3", "Zürich été \"quoted\""];

    [Theory]
    [InlineData(ProjectionEncoding.Float32)]
    [InlineData(ProjectionEncoding.Float16)]
    [InlineData(ProjectionEncoding.Int8)]
    public async Task RewriteBulkAsync_EnabledIndex_StoresVectorsOfEachDocumentsOwnText(ProjectionEncoding encoding)
    {
        using var harness = new PipelineHarness(tiny.Model, projection: encoding);

        var (output, summary) = await harness.BulkAsync(Body, pathIndex: "docs");

        var lines = PipelineHarness.Lines(output);
        Assert.Equal(6, lines.Count);
        Assert.All(lines, line => Assert.EndsWith("\n", line, StringComparison.Ordinal));
        Assert.Equal(PipelineHarness.Lines(Body).Where((_, i) => i % 2 == 0), lines.Where((_, i) => i % 2 == 0));
        for (var i = 0; i < 3; i++)
        {
            using var source = JsonDocument.Parse(lines[(2 * i) + 1]);
            if (encoding == ProjectionEncoding.Int8)
            {
                // int8 keeps 127 steps of max|x|: check the round trip against the reference at that resolution.
                AssertInt8(harness, source.RootElement, BodyTexts[i]);
            }
            else
            {
                harness.AssertVectors(source.RootElement, BodyTexts[i]);
            }
        }

        using (var first = JsonDocument.Parse(lines[1]))
        {
            Assert.Equal(2024, first.RootElement.GetProperty("year").GetInt32());
            Assert.Equal("sat on the mat", first.RootElement.GetProperty("text").GetString());
        }

        Assert.Equal(new { Items = 3, Rewritten = 3, Encoded = 3, Stale = 0, Untouched = 0 },
            new { summary.Items, summary.Rewritten, summary.Encoded, summary.Stale, summary.Untouched });
        Assert.Equal(3, harness.Meters.Sum("rerank.ingest.documents.encoded"));
    }

    [Fact]
    public async Task RewriteBulkAsync_OtherIndicesDeletesAndBlankLines_ByteIdentical()
    {
        using var harness = new PipelineHarness(tiny.Model);
        var body =
            "{\"index\":{\"_index\":\"other\",\"_id\":\"1\"}}\r\n" +
            "{ \"title\" : \"A cat\",  \"text\":\"\\u00e9\" }\r\n" +
            "\n" +
            "{\"delete\":{\"_index\":\"docs\",\"_id\":\"1\"}}\n" +
            "{\"update\":{\"_index\":\"other\",\"_id\":\"2\"}}\n" +
            "{\"doc\":{\"title\":\"x\",\"text\":\"y\"}}\n" +
            "{\"index\":{\"_index\":\"logs\"}}\n" +
            "{\"title\":1.50e3}";

        var (output, summary) = await harness.BulkBytesAsync(System.Text.Encoding.UTF8.GetBytes(body), pathIndex: "docs");

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(body), output);
        Assert.Equal(0, harness.Encoder.Calls);
        Assert.Equal(new { Items = 4, Rewritten = 0, Untouched = 4 }, new { summary.Items, summary.Rewritten, summary.Untouched });
        Assert.Equal(4, harness.Meters.Sum("rerank.ingest.documents.passed_through"));
    }

    [Fact]
    public async Task RewriteBulkAsync_MixedIndices_OnlyEnabledItemsChangeAndLineEndingsKept()
    {
        using var harness = new PipelineHarness(tiny.Model);
        var body =
            "{\"index\":{\"_index\":\"docs\",\"_id\":\"1\"}}\r\n" +
            "{\"title\":\"A cat\",\"text\":\"sat on the mat\"}\r\n" +
            "{\"index\":{\"_index\":\"other\",\"_id\":\"1\"}}\n" +
            "{\"title\":\"A cat\",\"text\":\"sat on the mat\"}\n";

        var (output, _) = await harness.BulkAsync(body);

        var lines = PipelineHarness.Lines(output);
        var input = PipelineHarness.Lines(body);
        Assert.Equal(input[0], lines[0]);
        Assert.EndsWith("}\r\n", lines[1], StringComparison.Ordinal);
        Assert.NotEqual(input[1], lines[1]);
        Assert.Equal(input[2..], lines[2..]);
        using var source = JsonDocument.Parse(lines[1]);
        harness.AssertVectors(source.RootElement, "A cat sat on the mat");
    }

    [Fact]
    public async Task RewriteBulkAsync_MalformedSourceLine_ForwardedUnchangedAndOthersRewritten()
    {
        using var harness = new PipelineHarness(tiny.Model);
        var body =
            "{\"index\":{\"_index\":\"docs\",\"_id\":\"1\"}}\n" +
            "{\"title\":\"broken\",\n" +
            "{\"index\":{\"_index\":\"docs\",\"_id\":\"2\"}}\n" +
            "[\"not\",\"an\",\"object\"]\n" +
            "{\"index\":{\"_index\":\"docs\",\"_id\":\"3\"}}\n" +
            "{\"title\":\"dup\",\"title\":\"licate\"}\n" +
            "{\"index\":{\"_index\":\"docs\",\"_id\":\"4\"}}\n" +
            "{\"title\":\"A cat\",\"text\":\"sat on the mat\"}\n";

        var (output, summary) = await harness.BulkAsync(body);

        var lines = PipelineHarness.Lines(output);
        var input = PipelineHarness.Lines(body);
        Assert.Equal(input[..6], lines[..6]);
        using var source = JsonDocument.Parse(lines[7]);
        harness.AssertVectors(source.RootElement, "A cat sat on the mat");
        Assert.Equal(new { Items = 4, Rewritten = 1, Untouched = 3 }, new { summary.Items, summary.Rewritten, summary.Untouched });
    }

    [Theory]
    [InlineData("{\"index\":{\"_index\":\"docs\"}\n")]
    [InlineData("{\"upsert\":{\"_index\":\"docs\"}}\n")]
    [InlineData("{\"index\":{\"_index\":\"docs\"},\"extra\":1}\n")]
    [InlineData("not json\n")]
    public async Task RewriteBulkAsync_MalformedActionLine_RestForwardedUnchanged(string badAction)
    {
        using var harness = new PipelineHarness(tiny.Model);
        var before = "{\"index\":{\"_index\":\"docs\",\"_id\":\"1\"}}\n{\"title\":\"A cat\",\"text\":\"sat on the mat\"}\n";
        var after = "{\"title\":\"x\"}\n{\"index\":{\"_index\":\"docs\",\"_id\":\"2\"}}\n{\"title\":\"Gluons\",\"text\":\"bind quarks\"}\n";

        var (output, summary) = await harness.BulkAsync(before + badAction + after);

        var lines = PipelineHarness.Lines(output);
        using var source = JsonDocument.Parse(lines[1]);
        harness.AssertVectors(source.RootElement, "A cat sat on the mat");
        Assert.Equal(badAction + after, string.Concat(lines.Skip(2)));
        Assert.True(summary.RestPassedThrough);
        Assert.Equal(1, harness.Encoder.Texts);
    }

    [Fact]
    public async Task RewriteBulkAsync_ModelThrowsOnSecondBatch_EveryDocumentWrittenThatBatchStale()
    {
        var options = new EncodingOptions { MaxBatch = 2, MaxDelay = TimeSpan.FromSeconds(10) };
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { ThrowOnCall = 2 };
        using var harness = new PipelineHarness(tiny.Model, options, encoder);
        var texts = Enumerable.Range(1, 6).Select(i => $"passage number {i}").ToArray();
        var body = string.Concat(texts.Select((t, i) => $"{{\"index\":{{\"_index\":\"docs\",\"_id\":\"{i + 1}\"}}}}\n{{\"text\":\"{t}\"}}\n"));

        var (output, summary) = await harness.BulkAsync(body);

        var lines = PipelineHarness.Lines(output);
        Assert.Equal(12, lines.Count);
        for (var i = 0; i < 6; i++)
        {
            using var source = JsonDocument.Parse(lines[(2 * i) + 1]);
            Assert.Equal(texts[i], source.RootElement.GetProperty("text").GetString());
            if (i is 2 or 3)
            {
                PipelineHarness.AssertStale(source.RootElement, StaleReason.ModelError);
            }
            else
            {
                harness.AssertVectors(source.RootElement, texts[i]);
            }
        }

        Assert.Equal([2, 2, 2], encoder.BatchSizes);
        Assert.Equal(new { Encoded = 4, Stale = 2 }, new { summary.Encoded, summary.Stale });
        Assert.Equal(2, harness.Meters.Sum("rerank.ingest.documents.stale", "reason=model_error"));
    }

    [Fact]
    public async Task RewriteBulkAsync_QueueFull_TextsBeyondCapacityWrittenStale()
    {
        var options = new EncodingOptions { MaxBatch = 1, MaxDelay = TimeSpan.Zero, QueueCapacity = 2 };
        using var harness = new PipelineHarness(tiny.Model, options);
        var texts = Enumerable.Range(1, 5).Select(i => $"passage {i}").ToArray();
        var body = string.Concat(texts.Select(t => $"{{\"index\":{{\"_index\":\"docs\"}}}}\n{{\"text\":\"{t}\"}}\n"));

        var (output, _) = await harness.BulkAsync(body);

        var lines = PipelineHarness.Lines(output);
        for (var i = 0; i < 5; i++)
        {
            using var source = JsonDocument.Parse(lines[(2 * i) + 1]);
            if (i < 2)
            {
                harness.AssertVectors(source.RootElement, texts[i]);
            }
            else
            {
                PipelineHarness.AssertStale(source.RootElement, StaleReason.QueueFull);
            }
        }

        Assert.Equal(3, harness.Meters.Sum("rerank.ingest.documents.stale", "reason=queue_full"));
    }

    [Fact]
    public async Task RewriteBulkAsync_ModelSlowerThanTimeout_DocumentsWrittenStaleTimeout()
    {
        var options = new EncodingOptions { EncodeTimeout = TimeSpan.FromMilliseconds(200) };
        using var encoder = new TestEncoder(new StudentPassageEncoder(tiny.Model)) { BlockFromCall = 1 };
        using var harness = new PipelineHarness(tiny.Model, options, encoder);

        var (output, summary) = await harness.BulkAsync(Body, pathIndex: "docs");
        encoder.Release();

        var lines = PipelineHarness.Lines(output);
        Assert.Equal(6, lines.Count);
        for (var i = 0; i < 3; i++)
        {
            using var source = JsonDocument.Parse(lines[(2 * i) + 1]);
            PipelineHarness.AssertStale(source.RootElement, StaleReason.Timeout);
        }

        Assert.Equal(3, summary.Stale);
    }

    [Fact]
    public async Task RewriteBulkAsync_ModelNotLoaded_DocumentsWrittenStale()
    {
        using var harness = new PipelineHarness(tiny.Model);
        harness.Configs.Configs["docs"] = harness.Config with { ModelId = "sha256:not-loaded" };

        var (output, _) = await harness.BulkAsync(Body, pathIndex: "docs");

        using var source = JsonDocument.Parse(PipelineHarness.Lines(output)[1]);
        PipelineHarness.AssertStale(source.RootElement, StaleReason.ModelNotLoaded);
        Assert.Equal(0, harness.Encoder.Calls);
    }

    [Fact]
    public async Task RewriteBulkAsync_IncomingVectorsCurrent_KeptWithoutEncoding()
    {
        using var harness = new PipelineHarness(tiny.Model);
        var (first, _) = await harness.BulkAsync(Body, pathIndex: "docs");
        var callsAfterFirst = harness.Encoder.Texts;

        // A copy flow (reindex, backfill) sends the stored vectors back with the same text: nothing is re-encoded.
        var (second, summary) = await harness.BulkAsync(first, pathIndex: "docs");

        Assert.Equal(3, callsAfterFirst);
        Assert.Equal(first, second);
        Assert.Equal(3, harness.Encoder.Texts);
        Assert.Equal(0, summary.Rewritten);
        Assert.Equal(3, harness.Meters.Sum("rerank.ingest.documents.reused"));

        // The same stored fields with a changed text are re-encoded.
        var changed = first.Replace("sat on the mat", "sat on the hat", StringComparison.Ordinal);
        var (third, _) = await harness.BulkAsync(changed, pathIndex: "docs");
        Assert.Equal(4, harness.Encoder.Texts);
        using var source = JsonDocument.Parse(PipelineHarness.Lines(third)[1]);
        harness.AssertVectors(source.RootElement, "A cat sat on the hat");
    }

    [Fact]
    public async Task RewriteBulkAsync_StaleMarkInIncomingSource_ReEncodedAndMarkRemoved()
    {
        using var harness = new PipelineHarness(tiny.Model);
        var body = "{\"index\":{\"_index\":\"docs\"}}\n{\"text\":\"gluons\",\"rerank\":{\"stale\":\"timeout\"},\"rerank.stale\":\"queue_full\"}\n";

        var (output, _) = await harness.BulkAsync(body);

        using var source = JsonDocument.Parse(PipelineHarness.Lines(output)[1]);
        harness.AssertVectors(source.RootElement, "gluons");
        Assert.False(source.RootElement.TryGetProperty("rerank.stale", out _));
    }

    [Fact]
    public async Task RewriteBulkAsync_TwoConcurrentRequests_ShareOneBatch()
    {
        // A batch starts only when full (20) or after 10 s: one call with 20 texts proves the two requests met in it.
        var options = new EncodingOptions { MaxBatch = 20, MaxDelay = TimeSpan.FromSeconds(10) };
        using var harness = new PipelineHarness(tiny.Model, options);
        string Bulk(string prefix) => string.Concat(Enumerable.Range(0, 10).Select(i => $"{{\"index\":{{\"_index\":\"docs\"}}}}\n{{\"text\":\"{prefix} {i}\"}}\n"));

        var results = await Task.WhenAll(harness.BulkAsync(Bulk("first")), harness.BulkAsync(Bulk("second")));

        Assert.Equal([20], harness.Encoder.BatchSizes);
        using var source = JsonDocument.Parse(PipelineHarness.Lines(results[1].Output)[19]);
        harness.AssertVectors(source.RootElement, "second 9");
    }

    [Fact]
    public async Task RewriteBulkAsync_InvalidConfig_ThrowsRerankConfigException()
    {
        using var harness = new PipelineHarness(tiny.Model);
        harness.Configs.Invalid.Add("broken");

        var exception = await Assert.ThrowsAsync<RerankConfigException>(() => harness.BulkAsync(Body, pathIndex: "broken"));

        Assert.Equal("broken", exception.Index);
    }

    private static void AssertInt8(PipelineHarness harness, JsonElement source, string text)
    {
        var reference = harness.Model.EncodePassages([text], TestContext.Current.CancellationToken).Projection(0).ToArray();
        var stored = new float[reference.Length];
        Assert.True(ProjectionCodec.TryDecode(source.GetProperty("rerank").GetProperty("projection"), ProjectionEncoding.Int8, stored));
        var step = reference.Max(MathF.Abs) / 127f;
        for (var i = 0; i < stored.Length; i++)
        {
            Assert.True(Math.Abs(stored[i] - reference[i]) <= (step / 2) + 1e-5, $"projection[{i}] {stored[i]} vs {reference[i]}");
        }
    }
}
