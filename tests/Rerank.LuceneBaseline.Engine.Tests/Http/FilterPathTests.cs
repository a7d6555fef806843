using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

public sealed class FilterPathTests
{
    private const string Response = """
        {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1},
         "hits":{"total":{"value":2,"relation":"eq"},"max_score":1.5,
                 "hits":[{"_index":"a","_id":"1","_score":1.5,"_source":{"title":"x","body":"y"}},
                         {"_index":"a","_id":"2","_score":0.5,"_source":{"title":"z","body":"w"}}]}}
        """;

    // Expected outputs worked out by hand from Elasticsearch's filter_path documentation ("Response filtering").
    [Theory]
    [InlineData("took", """{"took":3}""")]
    [InlineData("hits.hits._id", """{"hits":{"hits":[{"_id":"1"},{"_id":"2"}]}}""")]
    [InlineData("took,hits.hits._id", """{"took":3,"hits":{"hits":[{"_id":"1"},{"_id":"2"}]}}""")]
    [InlineData("hits.hits._source.t*", """{"hits":{"hits":[{"_source":{"title":"x"}},{"_source":{"title":"z"}}]}}""")]
    [InlineData("**._id", """{"hits":{"hits":[{"_id":"1"},{"_id":"2"}]}}""")]
    [InlineData("_shards.*", """{"_shards":{"total":1,"successful":1}}""")]
    [InlineData("hits.total", """{"hits":{"total":{"value":2,"relation":"eq"}}}""")]
    [InlineData("nothing.here", """{}""")]
    [InlineData("-hits", """{"took":3,"timed_out":false,"_shards":{"total":1,"successful":1}}""")]
    [InlineData("-hits.hits._source,-hits.total,-hits.max_score,-took,-timed_out,-_shards",
        """{"hits":{"hits":[{"_index":"a","_id":"1","_score":1.5},{"_index":"a","_id":"2","_score":0.5}]}}""")]
    [InlineData("hits.hits._source,-hits.hits._source.body", """{"hits":{"hits":[{"_source":{"title":"x"}},{"_source":{"title":"z"}}]}}""")]
    public void Apply_Patterns_KeepWhatElasticsearchKeeps(string filterPath, string expected)
    {
        var filter = FilterPath.Parse(filterPath)!;

        var filtered = filter.Apply(JsonNode.Parse(Response)!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), filtered), filtered.ToJsonString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void Parse_NothingNamed_IsNoFilter(string? value) => Assert.Null(FilterPath.Parse(value));

    [Fact]
    public void Apply_DoesNotChangeTheInput()
    {
        var response = JsonNode.Parse(Response)!;

        FilterPath.Parse("-hits")!.Apply(response);

        Assert.NotNull(response["hits"]);
    }
}
