using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Backfill;

public sealed class DocumentClassifierTests
{
    private static readonly RerankIndexConfig Config = new() { ModelId = "m1", TextFields = ["title", "body.text"], Separator = " | " };

    // Written here from docs/index-config.md: sha256: + lowercase hex of the UTF-8 bytes of "T | B".
    private static readonly string TextHash = "sha256:" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("T | B"))).ToLowerInvariant();

    [Theory]
    [InlineData(true, "m1", true, null, DocumentState.Current)]
    [InlineData(false, "m1", true, null, DocumentState.Missing)]
    [InlineData(true, null, true, null, DocumentState.Missing)]
    [InlineData(false, null, false, null, DocumentState.Missing)]
    [InlineData(true, "m2", true, null, DocumentState.OtherModel)]
    [InlineData(true, "m1", false, null, DocumentState.Stale)]
    [InlineData(true, "m1", true, "partial_update", DocumentState.Stale)]
    [InlineData(false, null, false, "queue_full", DocumentState.Stale)]
    [InlineData(true, "m2", true, "model_error", DocumentState.Stale)]
    [InlineData(true, "m1", true, "", DocumentState.Current)]
    public void Classify_StoredFields_GiveTheDocumentedState(bool hasProjection, string? model, bool hashMatches, string? stale, DocumentState expected)
    {
        var rerank = new JsonObject { ["text_hash"] = hashMatches ? TextHash : "sha256:0" };
        if (model is not null)
        {
            rerank["model"] = model;
        }

        if (stale is not null)
        {
            rerank["stale"] = stale;
        }

        var source = new JsonObject { ["title"] = "T", ["body"] = new JsonObject { ["text"] = "B" }, ["rerank"] = rerank };

        var state = DocumentClassifier.Classify(source, hasProjection, Config, out var text);

        Assert.Equal(expected, state);
        Assert.Equal("T | B", text);
    }

    [Fact]
    public void Classify_StaleMarkNull_IsNoMark()
    {
        var source = new JsonObject { ["title"] = "T", ["body.text"] = "B", ["rerank"] = new JsonObject { ["model"] = "m1", ["text_hash"] = TextHash, ["stale"] = null } };

        Assert.Equal(DocumentState.Current, DocumentClassifier.Classify(source, hasProjection: true, Config, out _));
    }
}
