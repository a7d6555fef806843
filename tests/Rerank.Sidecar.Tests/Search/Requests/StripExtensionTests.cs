using System.Text;
using Rerank.Sidecar.Search.Requests;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>docs/search.md "Interception": a body to an index that is not enabled loses ext.rerank, and nothing else.</summary>
public sealed class StripExtensionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("[{\"ext\":{\"rerank\":{}}}]")]
    [InlineData("{\"query\":{\"match_all\":{}}}")]
    [InlineData("{\"ext\":{\"other\":{\"rerank\":1}}}")]
    [InlineData("{\"ext\":\"rerank\"}")]
    [InlineData("{\"query\":{\"match\":{\"rerank\":\"x\"}},\"rerank\":{}}")]
    public void StripExtension_NoRerankExtension_IsNull(string body) =>
        Assert.Null(SearchRequestPlanner.StripExtension(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void StripExtension_OnlyRerank_RemovesExt()
    {
        var stripped = SearchRequestPlanner.StripExtension(Encoding.UTF8.GetBytes(J("{'query':{'match':{'title':'cats'}},'ext':{'rerank':{'window':5}},'size':2.0}")));

        Assert.NotNull(stripped);
        AssertJson(J("{'query':{'match':{'title':'cats'}},'size':2.0}"), stripped.Value);
        Assert.Contains("2.0", Text(stripped.Value), StringComparison.Ordinal);
    }

    [Fact]
    public void StripExtension_OtherExtensionsAndUnknownKeys_AreKept()
    {
        var stripped = SearchRequestPlanner.StripExtension(Encoding.UTF8.GetBytes(J("{'my_plugin':[1e3,{'a':null}],'ext':{'other':{'x':true},'rerank':'anything'}}")));

        Assert.NotNull(stripped);
        AssertJson(J("{'my_plugin':[1e3,{'a':null}],'ext':{'other':{'x':true}}}"), stripped.Value);
        Assert.Contains("1e3", Text(stripped.Value), StringComparison.Ordinal);
    }
}
