using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

public sealed class SearchResponseComposerTests
{
    private const string FirstStage = """
        {"took":7,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":42,"relation":"eq"},"max_score":9.5,"hits":[
           {"_index":"books","_id":"a","_score":9.5,"fields":{"rerank.model":["m"]}},
           {"_index":"books","_id":"b","_score":8.0,"fields":{"rerank.model":["m"],"title":["B"]}},
           {"_index":"books","_id":"c","_score":4.0}]},
         "aggregations":{"genres":{"buckets":[{"key":"sf","doc_count":3}]}}}
        """;

    [Fact]
    public void Compose_ReplacesOnlyThePageAndMaxScore_KeepingEveryOtherKeyVerbatim()
    {
        using var document = JsonDocument.Parse(FirstStage);
        var hits = document.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray().ToArray();
        PageHit[] page = [new(1, 1, 0.75f, 1.1f), new(0, 2, 0.5f, 0f)];

        var body = SearchResponseComposer.Compose(document.RootElement, page, i => hits[i], [9.5f, 8.0f, 4.0f], 0.75f, ["rerank.model"], explainModel: null);

        var composed = JsonNode.Parse(body)!;
        var expected = JsonNode.Parse(FirstStage)!;
        Assert.True(JsonNode.DeepEquals(expected["aggregations"], composed["aggregations"]));
        Assert.True(JsonNode.DeepEquals(expected["_shards"], composed["_shards"]));
        Assert.True(JsonNode.DeepEquals(expected["hits"]!["total"], composed["hits"]!["total"]));
        Assert.Equal(7, (int)composed["took"]!);
        Assert.Equal(0.75, (double)composed["hits"]!["max_score"]!, 6);
        var got = composed["hits"]!["hits"]!.AsArray();
        Assert.Equal(["b", "a"], got.Select(h => (string)h!["_id"]!));
        Assert.Equal([0.75, 0.5], got.Select(h => Math.Round((double)h!["_score"]!, 6)));
        // The added rerank field is removed; the user's own stays; an emptied "fields" disappears.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":["B"]}"""), got[0]!["fields"]));
        Assert.Null(got[1]!["fields"]);
        Assert.Null(got[0]!["_rerank"]);
    }

    [Fact]
    public void Compose_TextAndDeepAggregations_ComeBackAsTheClusterWroteThem()
    {
        // Elasticsearch writes non-ASCII text as UTF-8 and escapes only what JSON requires; aggregations nest deeply.
        var nested = string.Concat(Enumerable.Repeat("""{"a":""", 200)) + "1" + new string('}', 200);
        var firstStage = """
            {"hits":{"max_score":1.0,"hits":[{"_index":"i","_id":"x","_score":1.0,"_source":{"title":"Alzheimer’s <b>&\"\n"}}]},"aggregations":
            """ + nested + "}";
        using var document = JsonDocument.Parse(firstStage, SearchResponseComposer.ReadOptions);
        var hit = document.RootElement.GetProperty("hits").GetProperty("hits")[0];

        var body = SearchResponseComposer.Compose(document.RootElement, [new(0, 1, 0.5f, 0f)], _ => hit, [1f], 0.5f, [], null);

        var text = System.Text.Encoding.UTF8.GetString(body);
        Assert.Contains("""
            "title":"Alzheimer’s <b>&\"\n"
            """.Trim(), text);
        Assert.Contains(nested, text);
    }

    [Fact]
    public void Compose_Explain_AddsTheRerankObject()
    {
        using var document = JsonDocument.Parse(FirstStage);
        var hits = document.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray().ToArray();
        PageHit[] page = [new(2, 3, 0.25f, float.NaN)];

        var body = SearchResponseComposer.Compose(document.RootElement, page, i => hits[i], [9.5f, 8.0f, 4.0f], 0.75f, [], explainModel: "m");

        var rerank = JsonNode.Parse(body)!["hits"]!["hits"]![0]!["_rerank"]!;
        Assert.Equal(3, (int)rerank["rank"]!);
        Assert.Equal(3, (int)rerank["first_stage_rank"]!);
        Assert.Equal(4.0, (double)rerank["first_stage_score"]!);
        Assert.Null(rerank["logit"]);
        Assert.Equal(0.25, (double)rerank["score"]!);
        Assert.Equal("m", (string)rerank["model"]!);
    }

    [Fact]
    public void Compose_HitWithoutSource_IsLeftOut()
    {
        using var document = JsonDocument.Parse(FirstStage);
        var hits = document.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray().ToArray();
        PageHit[] page = [new(0, 1, 0.9f, 1f), new(1, 2, 0.8f, 1f)];

        var body = SearchResponseComposer.Compose(document.RootElement, page, i => i == 0 ? null : hits[i], [9.5f, 8.0f, 4.0f], 0.9f, [], null);

        Assert.Equal(["b"], JsonNode.Parse(body)!["hits"]!["hits"]!.AsArray().Select(h => (string)h!["_id"]!));
    }
}
