using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class RerankIndexConfigReaderTests
{
    private static RerankIndexConfig Read(string json) => RerankIndexConfigReader.Read("idx", JsonDocument.Parse(json).RootElement);

    private static RerankConfigException Fail(string json) => Assert.Throws<RerankConfigException>(() => Read(json));

    [Fact]
    public void Read_MinimalConfig_AppliesDocumentedDefaults()
    {
        var config = Read("""{"version": 1, "model": "m1", "text_fields": ["title", "text"]}""");

        Assert.True(config.Enabled);
        Assert.Equal("m1", config.ModelId);
        Assert.Equal(["title", "text"], config.TextFields);
        Assert.Equal(" ", config.Separator);
        Assert.Equal(ProjectionEncoding.Float16, config.ProjectionEncoding);
        Assert.Equal(100, config.Window);
        Assert.Equal("rerank.projection", config.Fields.Projection);
        Assert.Null(config.Fields.Embedding);
        Assert.Equal("rerank.model", config.Fields.Model);
        Assert.Equal("rerank.text_hash", config.Fields.TextHash);
        Assert.Equal("rerank.stale", config.Fields.Stale);
        Assert.Equal(1000, config.MaxWindow);
        Assert.Equal(200, config.BudgetMilliseconds);
        Assert.Equal(ScoreMode.Linear, config.ScoreMode);
        Assert.Equal(0.5, config.LinearWeight);
        Assert.Equal(60, config.RrfK);
        Assert.Equal(0.5, config.MaxMissingFraction);
    }

    [Fact]
    public void Read_SearchKeys_AreRead()
    {
        var config = Read("""
            {"version": 1, "model": "m1", "text_fields": ["t"], "window": 50, "max_window": 200, "budget_ms": 80,
             "score_mode": "linear", "linear_weight": 0.7, "rrf_k": 10, "max_missing_fraction": 0.25}
            """);

        Assert.Equal(50, config.Window);
        Assert.Equal(200, config.MaxWindow);
        Assert.Equal(80, config.BudgetMilliseconds);
        Assert.Equal(ScoreMode.Linear, config.ScoreMode);
        Assert.Equal(0.7, config.LinearWeight);
        Assert.Equal(10, config.RrfK);
        Assert.Equal(0.25, config.MaxMissingFraction);
    }

    [Fact]
    public void Read_BadSearchKeys_ReportsEachByName()
    {
        var error = Fail("""
            {"version": 1, "model": "m1", "text_fields": ["t"], "window": 300, "max_window": 200, "budget_ms": 0,
             "score_mode": "max", "linear_weight": 1.5, "rrf_k": 0, "max_missing_fraction": "half"}
            """);

        Assert.Contains("[_meta.rerank.max_window] must be an integer from the window (300) to 1000, got [200]", error.Message);
        Assert.Contains("[_meta.rerank.budget_ms] must be an integer from 1 to 60000, got [0]", error.Message);
        Assert.Contains("[_meta.rerank.score_mode] must be one of model, linear, rrf, got [max]", error.Message);
        Assert.Contains("[_meta.rerank.linear_weight] must be a number from 0 to 1, got [1.5]", error.Message);
        Assert.Contains("[_meta.rerank.rrf_k] must be an integer of 1 or more, got [0]", error.Message);
        Assert.Contains("[_meta.rerank.max_missing_fraction] must be a number from 0 to 1, got [half]", error.Message);
    }

    [Fact]
    public void Read_EveryKeySet_ReadsEachValue()
    {
        var config = Read("""
            {"version": 1, "enabled": false, "model": "m2", "text_fields": ["a.b"], "separator": "\n",
             "projection_encoding": "int8", "window": 250,
             "fields": {"projection": "v.up", "embedding": "v.emb", "model": "v.m", "text_hash": "v.h", "stale": "v.s"}}
            """);

        Assert.False(config.Enabled);
        Assert.Equal("\n", config.Separator);
        Assert.Equal(ProjectionEncoding.Int8, config.ProjectionEncoding);
        Assert.Equal(250, config.Window);
        Assert.Equal(["v.up", "v.emb", "v.m", "v.h", "v.s"], config.Fields.All());
    }

    [Fact]
    public void Read_SeveralProblems_ReportsEveryOneAtOnce()
    {
        var error = Fail("""{"version": 2, "enabled": "yes", "text_fields": [], "window": 0, "projection_encoding": "fp8", "colour": 1}""");

        Assert.Equal("idx", error.Index);
        Assert.Contains(error.Errors, e => e.StartsWith("unknown key [_meta.rerank.colour]", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.version] 2 is not supported", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.enabled] must be true or false", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.model] is required", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.text_fields] must be a non-empty array", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.window] must be an integer from 1 to 1000", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("[_meta.rerank.projection_encoding] must be one of float32, float16, int8", StringComparison.Ordinal));
        Assert.Equal(7, error.Errors.Count);
        Assert.Contains("index [idx]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["text", "text"]}""", "[_meta.rerank.text_fields[1]] names [text] twice")]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["a..b"]}""", "[_meta.rerank.text_fields[0]] [a..b] is not a field path")]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["_id"]}""", "[_meta.rerank.text_fields[0]] [_id] starts with '_'")]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["rerank"]}""", "[_meta.rerank.text_fields] [rerank] overlaps the stored field [rerank.projection]")]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["t"], "fields": {"model": "rerank.projection"}}""", "[_meta.rerank.fields] [rerank.projection] and [rerank.projection] overlap")]
    [InlineData("""{"version": 1, "model": "m", "text_fields": ["t"], "fields": {"vectors": "x"}}""", "unknown key [_meta.rerank.fields.vectors]")]
    [InlineData("""{"version": "1", "model": "m", "text_fields": ["t"]}""", "[_meta.rerank.version] must be an integer, got [1]")]
    [InlineData("""{"model": "m", "text_fields": ["t"]}""", "[_meta.rerank.version] is required")]
    [InlineData("""{"version": 1, "model": " ", "text_fields": ["t"]}""", "[_meta.rerank.model] must be a non-empty string")]
    public void Read_InvalidValue_NamesTheKey(string json, string expectedStart)
    {
        var error = Fail(json);

        Assert.Contains(error.Errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NotAnObject_IsOneError()
    {
        var error = Fail("[1]");

        Assert.Equal(["[_meta.rerank] must be an object, got an array"], error.Errors);
    }

    [Fact]
    public void TryReadFromMappings_NoMeta_ReturnsFalse()
    {
        var mappings = JsonDocument.Parse("""{"_meta": {"owner": "search"}, "properties": {}}""").RootElement;

        Assert.False(RerankIndexConfigReader.TryReadFromMappings("idx", mappings, out var config));
        Assert.Null(config);
    }

    [Fact]
    public void ToJson_ThenRead_GivesTheSameConfig()
    {
        var config = new RerankIndexConfig
        {
            ModelId = "abc",
            TextFields = ["title", "body.text"],
            Separator = " | ",
            ProjectionEncoding = ProjectionEncoding.Float32,
            Fields = new RerankStoredFields { Embedding = "rerank.embedding" },
            Window = 42,
        };

        var json = RerankIndexConfigReader.ToJson(config).ToJsonString();
        var read = Read(json);

        Assert.Equal(config with { TextFields = read.TextFields }, read);
        Assert.Equal(config.TextFields, read.TextFields);
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
    }
}
