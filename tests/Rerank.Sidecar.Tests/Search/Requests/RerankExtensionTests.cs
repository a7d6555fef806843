using Rerank.Model.Runtime;
using Rerank.Sidecar.Search.Requests;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>docs/search.md "ext.rerank": a bad key or value is a 400 illegal_argument_exception naming it.</summary>
public sealed class RerankExtensionTests
{
    private const string Query = "'query':{'match':{'title':'cats'}}";

    [Theory]
    [InlineData("{'window':0}", "[ext.rerank.window] must be an integer from 1 to 1000, got [0]")]
    [InlineData("{'window':1001}", "[ext.rerank.window] must be an integer from 1 to 1000, got [1001]")]
    [InlineData("{'window':-5}", "[ext.rerank.window] must be an integer from 1 to 1000, got [-5]")]
    [InlineData("{'window':1.5}", "[ext.rerank.window] must be an integer from 1 to 1000, got [1.5]")]
    [InlineData("{'window':'10'}", "[ext.rerank.window] must be an integer from 1 to 1000, got [10]")]
    [InlineData("{'window':null}", "[ext.rerank.window] must be an integer from 1 to 1000, got [null]")]
    [InlineData("{'window':99999999999}", "[ext.rerank.window] must be an integer from 1 to 1000, got [99999999999]")]
    [InlineData("{'enabled':'yes'}", "[ext.rerank.enabled] must be a boolean, got [yes]")]
    [InlineData("{'enabled':0}", "[ext.rerank.enabled] must be a boolean, got [0]")]
    [InlineData("{'explain':1}", "[ext.rerank.explain] must be a boolean, got [1]")]
    [InlineData("{'explain':'true'}", "[ext.rerank.explain] must be a boolean, got [true]")]
    [InlineData("{'branch':'dense'}", "[ext.rerank.branch] must be one of [asym, sym], got [dense]")]
    [InlineData("{'branch':'ASYM'}", "[ext.rerank.branch] must be one of [asym, sym], got [ASYM]")]
    [InlineData("{'branch':1}", "[ext.rerank.branch] must be one of [asym, sym], got [1]")]
    [InlineData("{'query':5}", "[ext.rerank.query] must be a non-empty string, got [5]")]
    [InlineData("{'query':''}", "[ext.rerank.query] must be a non-empty string, got []")]
    [InlineData("{'query':'   '}", "[ext.rerank.query] must be a non-empty string, got [   ]")]
    [InlineData("{'query':['a']}", "[ext.rerank.query] must be a non-empty string, got [[\"a\"]]")]
    [InlineData("{'windw':10}", "[ext.rerank.windw] is not a known key, expected one of [enabled, window, explain, branch, query]")]
    [InlineData("{'enabled':true,'model':'x'}", "[ext.rerank.model] is not a known key, expected one of [enabled, window, explain, branch, query]")]
    [InlineData("true", "[ext.rerank] must be an object, got [true]")]
    [InlineData("[]", "[ext.rerank] must be an object, got [[]]")]
    [InlineData("'on'", "[ext.rerank] must be an object, got [on]")]
    public void Plan_BadRerankExtension_IsIllegalArgumentNamingTheKey(string rerank, string reason)
    {
        var result = Plan(J("{" + Query + ",'ext':{'rerank':" + rerank + "}}"));

        var invalid = Assert.IsType<SearchPlanResult.Invalid>(result);
        Assert.Equal(400, invalid.Status);
        Assert.Equal("illegal_argument_exception", invalid.Type);
        Assert.Equal(reason, invalid.Reason);
    }

    [Fact]
    public void Plan_WindowAboveTheIndexMaxWindow_NamesThatMaximum()
    {
        var result = Plan(J("{" + Query + ",'ext':{'rerank':{'window':201}}}"), config: Config(window: 50, maxWindow: 200));

        var invalid = Assert.IsType<SearchPlanResult.Invalid>(result);
        Assert.Equal("[ext.rerank.window] must be an integer from 1 to 200, got [201]", invalid.Reason);
    }

    [Fact]
    public void Plan_LongBadValue_IsCutInTheReason()
    {
        var longText = new string('x', 100);
        var result = Plan(J("{" + Query + ",'ext':{'rerank':{'branch':'" + longText + "'}}}"));

        var invalid = Assert.IsType<SearchPlanResult.Invalid>(result);
        Assert.Equal($"[ext.rerank.branch] must be one of [asym, sym], got [{new string('x', 64)}...]", invalid.Reason);
    }

    [Fact]
    public void Plan_BadValueWithRerankDisabled_IsStillAnError()
    {
        var result = Plan(J("{" + Query + ",'ext':{'rerank':{'enabled':false,'window':0}}}"));

        Assert.IsType<SearchPlanResult.Invalid>(result);
    }

    [Fact]
    public void Plan_BadValueWithASkippedRequest_IsStillAnError()
    {
        var result = Plan(J("{" + Query + ",'collapse':{'field':'user'},'ext':{'rerank':{'explain':'no'}}}"), "?scroll=1m");

        Assert.IsType<SearchPlanResult.Invalid>(result);
    }

    [Fact]
    public void Plan_EveryKeyGiven_IsRead()
    {
        var plan = PlanRerank(J("{" + Query + ",'ext':{'rerank':{'enabled':true,'window':7,'explain':true,'branch':'sym','query':'felines'}}}"));

        Assert.Equal(7, plan.Window);
        Assert.True(plan.Explain);
        Assert.Equal(StudentBranch.Symmetric, plan.Branch);
        Assert.Equal("felines", plan.QueryText);
    }

    [Fact]
    public void Plan_NoExtension_TakesTheDefaults()
    {
        var plan = PlanRerank(J("{" + Query + "}"), config: Config(window: 40));

        Assert.Equal(40, plan.Window);
        Assert.False(plan.Explain);
        Assert.Equal(StudentBranch.Asymmetric, plan.Branch);
        Assert.Equal("cats", plan.QueryText);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Plan_WindowAtTheBounds_IsAccepted(int window)
    {
        var plan = PlanRerank(J("{" + Query + ",'ext':{'rerank':{'window':" + window + "}}}"));

        Assert.Equal(window, plan.Window);
        Assert.Equal(Math.Max(window, 10), plan.FirstStageSize);
    }

    [Fact]
    public void Plan_EmptyExtension_TakesTheDefaults()
    {
        var plan = PlanRerank(J("{" + Query + ",'ext':{'rerank':{}}}"));

        Assert.Equal(100, plan.Window);
        AssertJson(J("{" + Query + "}"), plan.PassThroughBody);
    }
}
