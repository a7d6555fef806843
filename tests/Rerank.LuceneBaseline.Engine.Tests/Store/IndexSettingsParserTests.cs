using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class IndexSettingsParserTests
{
    [Theory]
    [InlineData("""{"number_of_shards": 3, "number_of_replicas": 0}""")]
    [InlineData("""{"index.number_of_shards": "3", "index.number_of_replicas": "0"}""")]
    [InlineData("""{"index": {"number_of_shards": 3, "number_of_replicas": 0}}""")]
    [InlineData("""{"index": {"number_of_shards": "3"}, "number_of_replicas": 0}""")]
    public void Parse_BareFlatOrNestedKeys_SameSettings(string json)
    {
        var settings = IndexSettingsParser.Parse(JsonNode.Parse(json));

        Assert.Equal(3, settings.NumberOfShards);
        Assert.Equal(0, settings.NumberOfReplicas);
        Assert.Equal(10_000, settings.MaxResultWindow);
        Assert.Null(settings.RefreshInterval);
    }

    [Fact]
    public void Parse_Null_Defaults()
    {
        var settings = IndexSettingsParser.Parse(null);

        Assert.Equal(1, settings.NumberOfShards);
        Assert.Equal(1, settings.NumberOfReplicas);
        Assert.Equal(10_000, settings.MaxResultWindow);
        Assert.Null(settings.RefreshInterval);
        Assert.Empty(settings.Given);
    }

    [Fact]
    public void Parse_MaxResultWindow_Kept()
    {
        var settings = IndexSettingsParser.Parse(JsonNode.Parse("""{"index": {"max_result_window": 50}}"""));

        Assert.Equal(50, settings.MaxResultWindow);
    }

    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("2m", 1_200_000_000L)]
    [InlineData("1h", 36_000_000_000L)]
    [InlineData("1d", 864_000_000_000L)]
    [InlineData("1500micros", 15_000L)]
    [InlineData("1000nanos", 10L)]
    [InlineData(" 5S ", 50_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("0s", 0L)]
    public void Parse_RefreshInterval_TimeValueInTicks(string value, long ticks)
    {
        var settings = IndexSettingsParser.Parse(new JsonObject { ["refresh_interval"] = value });

        Assert.Equal(TimeSpan.FromTicks(ticks), settings.RefreshInterval);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-01")]
    [InlineData("-1ms")]
    public void Parse_RefreshIntervalMinusOne_Infinite(string value)
    {
        var settings = IndexSettingsParser.Parse(new JsonObject { ["index.refresh_interval"] = value });

        Assert.Equal(Timeout.InfiniteTimeSpan, settings.RefreshInterval);
    }

    [Theory]
    [InlineData("""{"index.foo": 1}""", "index.foo")]
    [InlineData("""{"foo": "bar"}""", "index.foo")]
    [InlineData("""{"analysis": {"analyzer": {"my": {"type": "standard"}}}}""", "index.analysis.analyzer.my.type")]
    [InlineData("""{"index": {"merge": {"policy": {"segments_per_tier": 5}}}}""", "index.merge.policy.segments_per_tier")]
    [InlineData("""{"index": {"similarity": "BM25"}}""", "index.similarity")]
    [InlineData("""{"number_of_shards": 1, "codec": "best_compression"}""", "index.codec")]
    public void Parse_UnknownSetting_ThrowsElasticsearchUnknownSetting(string json, string key)
    {
        var error = Assert.Throws<EngineException>(() => IndexSettingsParser.Parse(JsonNode.Parse(json)));

        Assert.Equal(400, error.Status);
        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal(
            $"unknown setting [{key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings",
            error.Reason);
    }

    [Theory]
    [InlineData("""{"number_of_shards": 0}""", "Failed to parse value [0] for setting [index.number_of_shards] must be >= 1")]
    [InlineData("""{"number_of_shards": 1025}""", "Failed to parse value [1025] for setting [index.number_of_shards] must be <= 1024")]
    [InlineData("""{"number_of_shards": "two"}""", "Failed to parse value [two] for setting [index.number_of_shards]")]
    [InlineData("""{"number_of_shards": 1.5}""", "Failed to parse value [1.5] for setting [index.number_of_shards]")]
    [InlineData("""{"number_of_replicas": -1}""", "Failed to parse value [-1] for setting [index.number_of_replicas] must be >= 0")]
    [InlineData("""{"max_result_window": 0}""", "Failed to parse value [0] for setting [index.max_result_window] must be >= 1")]
    [InlineData("""{"refresh_interval": "5"}""", "failed to parse setting [index.refresh_interval] with value [5] as a time value: unit is missing or unrecognized")]
    [InlineData("""{"refresh_interval": "soon"}""", "failed to parse setting [index.refresh_interval] with value [soon] as a time value: unit is missing or unrecognized")]
    [InlineData("""{"refresh_interval": "1.5s"}""", "failed to parse [1.5s], fractional time values are not supported")]
    [InlineData("""{"refresh_interval": "-5s"}""", "failed to parse setting [index.refresh_interval] with value [-5s] as a time value: negative durations are not supported")]
    [InlineData("""{"refresh_interval": "-1s"}""", "failed to parse value [-1s] for setting [index.refresh_interval], must be >= [-1]")]
    [InlineData("""{"refresh_interval": "xs"}""", "failed to parse [xs]")]
    public void Parse_BadValue_ThrowsIllegalArgumentWithElasticsearchReason(string json, string reason)
    {
        var error = Assert.Throws<EngineException>(() => IndexSettingsParser.Parse(JsonNode.Parse(json)));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Parse_SeveralProblems_FirstKeyInOrderReported()
    {
        // index.foo sorts before index.number_of_shards: Elasticsearch checks keys in sorted order.
        var error = Assert.Throws<EngineException>(() => IndexSettingsParser.Parse(JsonNode.Parse("""{"number_of_shards": 0, "foo": 1}""")));

        Assert.StartsWith("unknown setting [index.foo]", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAnObject_ThrowsParseException()
    {
        var error = Assert.Throws<EngineException>(() => IndexSettingsParser.Parse(JsonValue.Create(3)));

        Assert.Equal("parse_exception", error.Type);
        Assert.Equal("key [settings] must be an object", error.Reason);
    }

    [Fact]
    public void Parse_NullValue_TakesDefault()
    {
        var settings = IndexSettingsParser.Parse(JsonNode.Parse("""{"number_of_replicas": null}"""));

        Assert.Equal(1, settings.NumberOfReplicas);
        Assert.Empty(settings.Given);
    }
}
