using System.Text;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.Search.Requests;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>Builds planner inputs and compares JSON bodies key by key with hand-written expectations.</summary>
internal static class PlannerTestKit
{
    public static RerankIndexConfig Config(int window = 100, int maxWindow = 1000, ProjectionEncoding encoding = ProjectionEncoding.Float16) => new()
    {
        ModelId = "model-1",
        TextFields = ["title", "abstract"],
        Window = window,
        MaxWindow = maxWindow,
        ProjectionEncoding = encoding,
    };

    public static SearchPlanResult Plan(string? body, string queryString = "", RerankIndexConfig? config = null) =>
        SearchRequestPlanner.Plan(new SearchRequest("papers", queryString, body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body)), config ?? Config());

    public static SearchPlan PlanRerank(string? body, string queryString = "", RerankIndexConfig? config = null)
    {
        var result = Plan(body, queryString, config);
        var rerank = Assert.IsType<SearchPlanResult.Rerank>(result);
        return rerank.Plan;
    }

    public static SearchPlanResult.Skip Skip(string? body, string queryString = "", RerankIndexConfig? config = null) =>
        Assert.IsType<SearchPlanResult.Skip>(Plan(body, queryString, config));

    public static string Text(ReadOnlyMemory<byte> body) => Encoding.UTF8.GetString(body.Span);

    /// <summary>Parses both and compares them as JSON: every key and value, key order ignored, array order kept.</summary>
    public static void AssertJson(string expected, ReadOnlyMemory<byte> actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(Text(actual));
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"expected {expectedNode?.ToJsonString()}{Environment.NewLine}actual   {actualNode?.ToJsonString()}");
    }

    /// <summary>Single quotes for readable JSON in tests.</summary>
    public static string J(string json) => json.Replace('\'', '"');
}
