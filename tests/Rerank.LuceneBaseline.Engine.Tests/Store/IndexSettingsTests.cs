using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class IndexSettingsTests
{
    [Fact]
    public void ToJson_CreatedWithSettings_ShowsThemAsStringsWithStampedValues()
    {
        var parsed = IndexSettingsParser.Parse(JsonNode.Parse("""{"index": {"number_of_shards": 2, "refresh_interval": "500ms", "max_result_window": 20000}}"""));
        var settings = parsed with
        {
            ProvidedName = "logs",
            Uuid = "AbCdEfGhIjKlMnOpQrStUv",
            CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
        };

        var json = settings.ToJson();

        // GET /logs/_settings answers {"logs": {"settings": {"index": <this>}}}; every value is a string.
        var expected = JsonNode.Parse("""
            {
              "creation_date": "1700000000123",
              "max_result_window": "20000",
              "number_of_replicas": "1",
              "number_of_shards": "2",
              "provided_name": "logs",
              "refresh_interval": "500ms",
              "uuid": "AbCdEfGhIjKlMnOpQrStUv"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
        Assert.Equal(["creation_date", "max_result_window", "number_of_replicas", "number_of_shards", "provided_name", "refresh_interval", "uuid"], json.Select(p => p.Key));
    }

    [Fact]
    public void ToJson_Defaults_ShowsShardsAndReplicasOnly()
    {
        var json = new IndexSettings().ToJson();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"number_of_replicas": "1", "number_of_shards": "1"}"""), json), json.ToJsonString());
    }
}
