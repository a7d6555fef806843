using System.Text.Json;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

public sealed class FirstStageHitsTests
{
    // Float16 little-endian: 1.0 = 0x3C00, 2.0 = 0x4000, -0.5 = 0xB800 -> bytes 00 3C 00 40 and 00 B8 00 3C.
    private const string OneTwo = "ADwAQA==";
    private const string MinusHalfOne = "ALgAPA==";

    private static readonly RerankIndexConfig Config = new() { ModelId = "m1", TextFields = ["text"] };

    private static string Hit(string id, double score, string fields) =>
        "{\"_index\":\"books\",\"_id\":\"" + id + "\",\"_score\":" + score.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"fields\":{" + fields.Trim() + "}}";

    [Fact]
    public void Parse_DecodesUsableProjections_AndSkipsStaleOtherModelAndMissing()
    {
        var hits = string.Join(',',
            Hit("a", 3.5, $$"""
                "rerank.projection":["{{OneTwo}}"],"rerank.model":["m1"]
                """),
            Hit("b", 3.0, $$"""
                "rerank.projection":["{{OneTwo}}"],"rerank.model":["m1"],"rerank.stale":["text_changed"]
                """),
            Hit("c", 2.5, $$"""
                "rerank.projection":["{{OneTwo}}"],"rerank.model":["m0"]
                """),
            Hit("d", 2.0, """
                "rerank.model":["m1"]
                """),
            Hit("e", 1.5, $$"""
                "rerank.projection":["{{MinusHalfOne}}"],"rerank.model":["m1"]
                """),
            Hit("f", 1.0, $$"""
                "rerank.projection":["{{OneTwo}}"],"rerank.model":["m1"]
                """));
        using var document = JsonDocument.Parse("{\"took\":1,\"hits\":{\"total\":{\"value\":6,\"relation\":\"eq\"},\"hits\":[" + hits + "]}}");

        var parsed = FirstStageHits.Parse(document.RootElement, Config, projectionDim: 2, window: 5)!;

        Assert.Equal(6, parsed.Hits.Length);
        Assert.Equal(5, parsed.Window);
        Assert.Equal([3.5f, 3.0f, 2.5f, 2.0f, 1.5f, 1.0f], parsed.Scores);
        Assert.Equal([true, false, false, false, true], parsed.Usable);
        Assert.Equal(3, parsed.Missing);
        Assert.Equal([1f, 2f, -0.5f, 1f], parsed.Projections);
    }

    [Fact]
    public void Parse_Float32_ReadsTheValuesOfFields()
    {
        var config = Config with { ProjectionEncoding = ProjectionEncoding.Float32 };
        var hit = Hit("a", 1, """
            "rerank.projection":[0.25,-1.5],"rerank.model":["m1"]
            """);
        using var document = JsonDocument.Parse("{\"hits\":{\"hits\":[" + hit + "]}}");

        var parsed = FirstStageHits.Parse(document.RootElement, config, 2, 10)!;

        Assert.Equal([0.25f, -1.5f], parsed.Projections);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"error":{"type":"x"},"status":400}""")]
    [InlineData("""{"hits":{"total":0}}""")]
    [InlineData("""{"hits":{"hits":[{"_score":1}]}}""")]
    [InlineData("""{"hits":{"hits":[1]}}""")]
    public void Parse_NotASearchResponse_ReturnsNull(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Null(FirstStageHits.Parse(document.RootElement, Config, 2, 10));
    }
}
