using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>
/// <see cref="WritePipeline.RewriteDocumentAsync"/>: single <c>_doc</c>/<c>_create</c> sources and the <c>_update</c>
/// rules (docs/write-path.md), with the tiny real model.
/// </summary>
public sealed class WritePipelineDocumentTests(TinyModel tiny) : IClassFixture<TinyModel>
{
    [Theory]
    [InlineData(DocumentWriteKind.Index)]
    [InlineData(DocumentWriteKind.Create)]
    public async Task RewriteDocumentAsync_Source_StoresVectors(DocumentWriteKind kind)
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, kind, "{\"title\":\"Quarks\",\"text\":\"are bound\",\"n\":1}");

        using var source = JsonDocument.Parse(output!);
        harness.AssertVectors(source.RootElement, "Quarks are bound");
        Assert.Equal(1, source.RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task RewriteDocumentAsync_OtherIndexOrNotAnObject_ForwardedUnchanged()
    {
        using var harness = new PipelineHarness(tiny.Model);

        Assert.Null(await harness.Pipeline.RewriteDocumentAsync(DocumentWriteKind.Index, "other", "{\"title\":\"x\"}"u8.ToArray(), null, TestContext.Current.CancellationToken));
        Assert.Null(await RewriteAsync(harness, DocumentWriteKind.Index, "[1,2]"));
        Assert.Null(await RewriteAsync(harness, DocumentWriteKind.Index, "{\"title\":"));
        Assert.Equal(0, harness.Encoder.Calls);
    }

    [Fact]
    public async Task RewriteDocumentAsync_DisabledIndex_ForwardedUnchanged()
    {
        using var harness = new PipelineHarness(tiny.Model);
        harness.Configs.Configs[PipelineHarness.Index] = harness.Config with { Enabled = false };

        Assert.Null(await RewriteAsync(harness, DocumentWriteKind.Index, "{\"title\":\"x\"}"));
    }

    [Fact]
    public async Task RewriteDocumentAsync_InvalidConfig_Throws()
    {
        using var harness = new PipelineHarness(tiny.Model);
        harness.Configs.Invalid.Add("broken");

        await Assert.ThrowsAsync<RerankConfigException>(() =>
            harness.Pipeline.RewriteDocumentAsync(DocumentWriteKind.Index, "broken", "{}"u8.ToArray(), null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RewriteDocumentAsync_UpdateDocCoversText_VectorsFromTheDocAndStaleCleared()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"doc\":{\"title\":\"New\",\"text\":\"words\"},\"detect_noop\":false}");

        using var body = JsonDocument.Parse(output!);
        var doc = body.RootElement.GetProperty("doc");
        harness.AssertVectors(doc, "New words");
        // A partial doc merges into the stored source: the stale mark is cleared by setting it to null.
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("rerank").GetProperty("stale").ValueKind);
        Assert.False(body.RootElement.GetProperty("detect_noop").GetBoolean());
    }

    [Fact]
    public async Task RewriteDocumentAsync_UpdateDocTouchesSomeText_MarkedPartialUpdateWithoutEncoding()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"doc\":{\"title\":\"Only the title\",\"n\":2}}");

        var expected = JsonNode.Parse(
            "{\"doc\":{\"title\":\"Only the title\",\"n\":2,\"rerank\":{\"projection\":null,\"embedding\":null,\"text_hash\":null,\"stale\":\"partial_update\"}}}");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(output!)), System.Text.Encoding.UTF8.GetString(output!));
        Assert.Equal(0, harness.Encoder.Calls);
        Assert.Equal(1, harness.Meters.Sum("rerank.ingest.documents.stale", "reason=partial_update"));
    }

    [Theory]
    [InlineData("{\"doc\":{\"n\":3}}")]
    [InlineData("{\"doc\":{\"n\":3},\"doc_as_upsert\":true}")]
    [InlineData("{\"detect_noop\":true}")]
    public async Task RewriteDocumentAsync_UpdateWithoutText_ForwardedUnchanged(string update)
    {
        using var harness = new PipelineHarness(tiny.Model);

        Assert.Null(await RewriteAsync(harness, DocumentWriteKind.Update, update));
        Assert.Equal(0, harness.Encoder.Calls);
    }

    [Fact]
    public async Task RewriteDocumentAsync_ScriptedUpdate_ForwardedUnchangedAndCounted()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"script\":{\"source\":\"ctx._source.title = 'x'\"}}");

        Assert.Null(output);
        Assert.Equal(1, harness.Meters.Sum("rerank.ingest.documents.stale", "reason=script_update"));
    }

    [Fact]
    public async Task RewriteDocumentAsync_ScriptWithUpsert_UpsertGetsVectorsScriptKept()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update,
            "{\"script\":{\"source\":\"ctx._source.n += 1\"},\"upsert\":{\"title\":\"Fresh\",\"text\":\"document\",\"n\":0}}");

        using var body = JsonDocument.Parse(output!);
        harness.AssertVectors(body.RootElement.GetProperty("upsert"), "Fresh document");
        Assert.Equal("ctx._source.n += 1", body.RootElement.GetProperty("script").GetProperty("source").GetString());
    }

    [Fact]
    public async Task RewriteDocumentAsync_ScriptedUpsert_ForwardedUnchanged()
    {
        using var harness = new PipelineHarness(tiny.Model);

        Assert.Null(await RewriteAsync(harness, DocumentWriteKind.Update,
            "{\"scripted_upsert\":true,\"script\":{\"source\":\"ctx._source.title = 'x'\"},\"upsert\":{\"title\":\"t\"}}"));
    }

    [Fact]
    public async Task RewriteDocumentAsync_DocAsUpsertCoveringText_DocGetsVectors()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"doc\":{\"title\":\"T\",\"text\":\"U\"},\"doc_as_upsert\":true}");

        using var body = JsonDocument.Parse(output!);
        harness.AssertVectors(body.RootElement.GetProperty("doc"), "T U");
        Assert.True(body.RootElement.GetProperty("doc_as_upsert").GetBoolean());
    }

    [Fact]
    public async Task RewriteDocumentAsync_PartialDocWithUpsert_DocMarkedUpsertEncoded()
    {
        using var harness = new PipelineHarness(tiny.Model);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"doc\":{\"text\":\"changed\"},\"upsert\":{\"title\":\"A\",\"text\":\"B\"}}");

        using var body = JsonDocument.Parse(output!);
        Assert.Equal(StaleReason.PartialUpdate, body.RootElement.GetProperty("doc").GetProperty("rerank").GetProperty("stale").GetString());
        harness.AssertVectors(body.RootElement.GetProperty("upsert"), "A B");
        Assert.Equal(1, harness.Encoder.Texts);
    }

    [Fact]
    public async Task RewriteDocumentAsync_UpdateDocModelFails_DocMarkedWithTheReason()
    {
        using var encoder = new TestEncoder(new Rerank.IngestPipeline.Encoding.StudentPassageEncoder(tiny.Model)) { ThrowOnCall = 1 };
        using var harness = new PipelineHarness(tiny.Model, encoder: encoder);

        var output = await RewriteAsync(harness, DocumentWriteKind.Update, "{\"doc\":{\"title\":\"T\",\"text\":\"U\"}}");

        var expected = JsonNode.Parse(
            "{\"doc\":{\"title\":\"T\",\"text\":\"U\",\"rerank\":{\"projection\":null,\"embedding\":null,\"text_hash\":null,\"stale\":\"model_error\"}}}");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(output!)), System.Text.Encoding.UTF8.GetString(output!));
    }

    [Fact]
    public async Task RewriteDocumentAsync_DottedTextFieldsAndCustomStoredPaths_Followed()
    {
        using var harness = new PipelineHarness(tiny.Model);
        harness.Configs.Configs[PipelineHarness.Index] = harness.Config with
        {
            TextFields = ["meta.title", "body"],
            Separator = " | ",
            Fields = new RerankStoredFields { Projection = "vec.up", Model = "vec.model", TextHash = "vec.hash", Stale = "vec.stale" },
        };

        var output = await RewriteAsync(harness, DocumentWriteKind.Index, "{\"meta\":{\"title\":\"Head\"},\"body\":\"tail\",\"vec.stale\":\"timeout\"}");

        using var source = JsonDocument.Parse(output!);
        var vec = source.RootElement.GetProperty("vec");
        Assert.Equal(tiny.Model.ModelId, vec.GetProperty("model").GetString());
        Assert.False(vec.TryGetProperty("stale", out _));
        Assert.False(source.RootElement.TryGetProperty("vec.stale", out _));
        var reference = tiny.Model.EncodePassages(["Head | tail"], TestContext.Current.CancellationToken).Projection(0).ToArray();
        var stored = vec.GetProperty("up").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(reference.Length, stored.Length);
        Assert.All(Enumerable.Range(0, stored.Length), i => Assert.True(Math.Abs(stored[i] - reference[i]) <= 1e-5));
    }

    private static Task<byte[]?> RewriteAsync(PipelineHarness harness, DocumentWriteKind kind, string body) =>
        harness.Pipeline.RewriteDocumentAsync(kind, PipelineHarness.Index, System.Text.Encoding.UTF8.GetBytes(body), null, TestContext.Current.CancellationToken);
}
