using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class PassageTextTests
{
    private static readonly RerankIndexConfig Config = new() { ModelId = "m", TextFields = ["title", "body.text", "tags"], Separator = " / " };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Compose_FieldsInConfigOrder_JoinsNonEmptyPiecesWithTheSeparator()
    {
        var source = Parse("""{"tags": ["a", 2, true, null, {"x": 1}], "body": {"text": "Body"}, "title": ""}""");

        Assert.Equal("Body / a / 2 / true", PassageText.Compose(source, Config));
    }

    [Fact]
    public void Compose_LiteralDottedKey_IsReadLikeTheObjectPath()
    {
        Assert.Equal("T / B", PassageText.Compose(Parse("""{"title": "T", "body.text": "B"}"""), Config));
    }

    [Fact]
    public void Compose_NoTextFields_IsTheEmptyText()
    {
        Assert.Equal("", PassageText.Compose(Parse("""{"other": "x"}"""), Config));
    }

    [Theory]
    // SHA-256 test vectors: FIPS 180-2 ("abc") and the empty string.
    [InlineData("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Hash_KnownVectors_MatchSha256(string text, string expected)
    {
        Assert.Equal(expected, PassageText.Hash(text));
    }

    [Theory]
    [InlineData("""{"title": "x"}""", true, false)]
    [InlineData("""{"title": "x", "body": {"text": "y"}, "tags": []}""", true, true)]
    [InlineData("""{"title": "x", "body": null, "tags": null}""", true, true)]
    [InlineData("""{"body": {"other": 1}}""", false, false)]
    [InlineData("""{"count": 3}""", false, false)]
    public void TouchesAndCoversText_PartialDocs_FollowObjectMerging(string partial, bool touches, bool covers)
    {
        var doc = Parse(partial);

        Assert.Equal(touches, PassageText.TouchesText(doc, Config));
        Assert.Equal(covers, PassageText.CoversText(doc, Config));
    }
}
