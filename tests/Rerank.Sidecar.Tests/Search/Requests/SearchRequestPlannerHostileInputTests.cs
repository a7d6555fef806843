using System.Text;
using Rerank.Sidecar.Search.Requests;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>Bodies and query strings a client may send by mistake or on purpose: always a plan, a skip or a 400, never an exception.</summary>
public sealed class SearchRequestPlannerHostileInputTests
{
    [Theory]
    [InlineData("{\"query\":null}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"bool\":null}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"bool\":{\"must\":[1,\"x\",null,true,[]]}}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"match\":{\"title\":null}}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"match\":{\"title\":{\"query\":{\"nested\":\"x\"}}}}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"function_score\":[]}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"dis_max\":{\"queries\":\"x\"}}}", SkipReasons.NoQueryText)]
    [InlineData("{\"\":{},\"query\":{\"\":\"\"}}", SkipReasons.NoQueryText)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}},\"sort\":{}}", SkipReasons.Sort)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}},\"sort\":[[]]}", SkipReasons.Sort)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}},\"sort\":[{\"_score\":null}]}", SkipReasons.Sort)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}},\"size\":{}}", SkipReasons.InvalidBody)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}},\"from\":1e400}", SkipReasons.InvalidBody)]
    [InlineData("{\"query\":{\"match\":{\"t\":\"x\"}}}\u0000", SkipReasons.InvalidBody)]
    [InlineData("\uFEFF{\"query\":{\"match\":{\"t\":\"x\"}},\"sort\":\"t\"}", SkipReasons.Sort)]
    public void Plan_OddBody_GivesItsSkipReason(string body, string reason) =>
        Assert.Equal(reason, Skip(body).Reason);

    [Theory]
    [InlineData("?%")]
    [InlineData("?=")]
    [InlineData("?&&&")]
    [InlineData("?q=%E0%A4%A")]
    [InlineData("?size=%00")]
    [InlineData("?%73ize=2")]
    public void Plan_OddQueryString_NeverThrows(string queryString)
    {
        var result = Plan("{\"query\":{\"match\":{\"t\":\"x\"}}}", queryString);

        Assert.True(result is SearchPlanResult.Rerank or SearchPlanResult.Skip);
    }

    [Fact]
    public void Plan_EncodedParameterName_IsReadDecoded()
    {
        var plan = PlanRerank("{\"query\":{\"match\":{\"t\":\"x\"}}}", "?%73ize=2");

        Assert.Equal(2, plan.Size);
        Assert.Equal(string.Empty, plan.UpstreamQueryString);
    }

    [Fact]
    public void Plan_HugeSize_FirstStageSizeDoesNotOverflow()
    {
        var plan = PlanRerank("{\"query\":{\"match\":{\"t\":\"x\"}},\"from\":99,\"size\":2147483647}");

        Assert.Equal(int.MaxValue, plan.FirstStageSize);
    }

    [Fact]
    public void Plan_HugeArrays_ArePlannedAndCopied()
    {
        var ids = string.Join(',', Enumerable.Range(0, 50_000).Select(i => $"\"id{i}\""));
        var body = "{\"query\":{\"bool\":{\"must\":{\"match\":{\"t\":\"x\"}},\"filter\":{\"ids\":{\"values\":[" + ids + "]}}}},\"docvalue_fields\":[" + ids + "]}";

        var plan = PlanRerank(body);

        Assert.Equal("x", plan.QueryText);
        Assert.Contains("\"id49999\"", Text(plan.FirstStageBody), StringComparison.Ordinal);
        Assert.Equal(["rerank.projection", "rerank.model", "rerank.stale"], plan.AddedFetchFields);
    }

    [Fact]
    public void Plan_DisabledConfig_SkipsNotEnabledWithoutTheExtension()
    {
        var config = Config() with { Enabled = false };

        var skip = Skip(J("{'query':{'match':{'t':'x'}},'ext':{'rerank':{'window':0}}}"), "?routing=a", config);

        Assert.Equal(SkipReasons.NotEnabled, skip.Reason);
        AssertJson(J("{'query':{'match':{'t':'x'}}}"), skip.Body);
        Assert.Equal("?routing=a", skip.QueryString);
    }

    [Fact]
    public void Plan_DisabledConfigWithoutExtension_ForwardsTheBytes()
    {
        var body = Encoding.UTF8.GetBytes("not json at all");

        var skip = Assert.IsType<SearchPlanResult.Skip>(SearchRequestPlanner.Plan(new SearchRequest("papers", string.Empty, body), Config() with { Enabled = false }));

        Assert.Equal(SkipReasons.NotEnabled, skip.Reason);
        Assert.Equal(body, skip.Body.ToArray());
    }
}
