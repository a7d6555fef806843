using System.Text;
using Rerank.Sidecar.Search.Requests;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>docs/search.md "Skipped": requests forwarded as the first stage alone, with the reason.</summary>
public sealed class SearchRequestPlannerSkipTests
{
    private const string Query = "'query':{'match':{'title':'cats'}}";

    [Theory]
    [InlineData("{'query':{'match_all':{}}}")]
    [InlineData("{'query':{'term':{'tag':'cats'}}}")]
    [InlineData("{'query':{'bool':{'filter':[{'match':{'title':'cats'}}],'must_not':{'match':{'title':'dogs'}}}}}")]
    [InlineData("{'query':{'constant_score':{'filter':{'match':{'title':'cats'}}}}}")]
    [InlineData("{'query':{'match':{'year':2020}}}")]
    [InlineData("{'query':{'match':{'title':'   '}}}")]
    [InlineData("{'size':5}")]
    [InlineData("{}")]
    [InlineData(null)]
    [InlineData("  \n ")]
    [InlineData("{'query':'cats'}")]
    [InlineData("{'query':[{'match':{'title':'cats'}}]}")]
    [InlineData("{'knn':{'field':'v','query_vector':[1,2],'k':5}}")]
    public void Plan_NoRelevanceText_SkipsNoQueryText(string? body)
    {
        var skip = Skip(body is null ? null : J(body));

        Assert.Equal(SkipReasons.NoQueryText, skip.Reason);
    }

    [Fact]
    public void Plan_EmptyUrlQueryText_SkipsNoQueryText() =>
        Assert.Equal(SkipReasons.NoQueryText, Skip(null, "?q=").Reason);

    [Theory]
    [InlineData("[{'date':'desc'}]")]
    [InlineData("'date'")]
    [InlineData("[{'_score':'asc'}]")]
    [InlineData("[{'_score':{'order':'asc'}}]")]
    [InlineData("[{'_score':{'order':'desc','mode':'max'}}]")]
    [InlineData("['_score','_doc']")]
    [InlineData("[{'_score':'desc'},{'date':'asc'}]")]
    [InlineData("['_doc']")]
    [InlineData("{'_score':'desc','date':'asc'}")]
    [InlineData("null")]
    [InlineData("5")]
    public void Plan_SortOtherThanScoreDescending_SkipsSort(string sort)
    {
        var skip = Skip(J("{" + Query + ",'sort':" + sort + "}"));

        Assert.Equal(SkipReasons.Sort, skip.Reason);
    }

    [Theory]
    [InlineData("'_score'")]
    [InlineData("['_score']")]
    [InlineData("[{'_score':'desc'}]")]
    [InlineData("[{'_score':{'order':'desc'}}]")]
    [InlineData("{'_score':'desc'}")]
    [InlineData("[]")]
    public void Plan_SortByScoreDescending_IsReranked(string sort) =>
        PlanRerank(J("{" + Query + ",'sort':" + sort + "}"));

    [Theory]
    [InlineData("?sort=date:desc")]
    [InlineData("?sort=_score:asc")]
    [InlineData("?sort=_score,date")]
    [InlineData("?sort=title")]
    public void Plan_UrlSortOtherThanScore_SkipsSort(string queryString) =>
        Assert.Equal(SkipReasons.Sort, Skip(J("{" + Query + "}"), queryString).Reason);

    [Theory]
    [InlineData("?sort=_score")]
    [InlineData("?sort=_score:desc")]
    [InlineData("?sort=_score%3Adesc")]
    public void Plan_UrlSortByScore_IsReranked(string queryString) =>
        PlanRerank(J("{" + Query + "}"), queryString);

    [Theory]
    [InlineData("'collapse':{'field':'user'}", SkipReasons.Collapse)]
    [InlineData("'rescore':{'window_size':50,'query':{'rescore_query':{'match_all':{}}}}", SkipReasons.Rescore)]
    [InlineData("'search_after':[1.5,'a']", SkipReasons.SearchAfter)]
    [InlineData("'retriever':{'standard':{'query':{'match':{'title':'cats'}}}}", SkipReasons.Retriever)]
    [InlineData("'rank':{'rrf':{}}", SkipReasons.Rank)]
    [InlineData("'size':0", SkipReasons.SizeZero)]
    [InlineData("'size':'0'", SkipReasons.SizeZero)]
    [InlineData("'from':100", SkipReasons.BeyondWindow)]
    [InlineData("'from':250,'size':5", SkipReasons.BeyondWindow)]
    [InlineData("'ext':{'rerank':{'enabled':false}}", SkipReasons.DisabledByRequest)]
    [InlineData("'from':50,'ext':{'rerank':{'window':50}}", SkipReasons.BeyondWindow)]
    public void Plan_BodyThatCannotBeReranked_SkipsWithItsReason(string member, string reason)
    {
        var skip = Skip(J("{" + Query + "," + member + "}"));

        Assert.Equal(reason, skip.Reason);
    }

    [Fact]
    public void Plan_FromJustBelowTheWindow_IsReranked()
    {
        var plan = PlanRerank(J("{" + Query + ",'from':99,'size':5}"));

        Assert.Equal(99, plan.From);
        Assert.Equal(104, plan.FirstStageSize);
    }

    [Theory]
    [InlineData("?scroll=1m", SkipReasons.Scroll)]
    [InlineData("?filter_path=hits.hits._id", SkipReasons.FilterPath)]
    [InlineData("?size=0", SkipReasons.SizeZero)]
    [InlineData("?from=100", SkipReasons.BeyondWindow)]
    [InlineData("?routing=a&scroll=30s", SkipReasons.Scroll)]
    public void Plan_UrlThatCannotBeReranked_SkipsWithItsReason(string queryString, string reason) =>
        Assert.Equal(reason, Skip(J("{" + Query + "}"), queryString).Reason);

    [Theory]
    [InlineData("'size':5", "?size=0", SkipReasons.SizeZero)]
    [InlineData("'size':0", "?size=5", null)]
    [InlineData("'from':0", "?from=100", SkipReasons.BeyondWindow)]
    [InlineData("'from':100", "?from=0", null)]
    public void Plan_UrlAndBodyPage_TheUrlWins(string member, string queryString, string? reason)
    {
        var result = Plan(J("{" + Query + "," + member + "}"), queryString);

        if (reason is null)
        {
            Assert.IsType<SearchPlanResult.Rerank>(result);
        }
        else
        {
            Assert.Equal(reason, Assert.IsType<SearchPlanResult.Skip>(result).Reason);
        }
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"query\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"query\":{\"match\":{\"title\":\"cats\"}},\"query\":{\"match_all\":{}}}")]
    [InlineData("{\"query\":{\"match\":{\"title\":\"cats\",\"title\":\"dogs\"}}}")]
    [InlineData("{\"query\":{\"match\":{\"title\":\"cats\"}},\"ext\":\"rerank\"}")]
    [InlineData("{\"query\":{\"match\":{\"title\":\"cats\"}},\"ext\":null}")]
    [InlineData("{\"query\":{\"match\":{\"title\":\"cats\"}},\"ext\":{\"rerank\":{\"window\":5,\"window\":6}}}")]
    public void Plan_BodyNotAJsonObject_SkipsInvalidBodyForwardingItAsItIs(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var skip = Assert.IsType<SearchPlanResult.Skip>(SearchRequestPlanner.Plan(new SearchRequest("papers", "?routing=x", bytes), Config()));

        Assert.Equal(SkipReasons.InvalidBody, skip.Reason);
        Assert.Equal(bytes, skip.Body.ToArray());
        Assert.Equal("?routing=x", skip.QueryString);
    }

    [Theory]
    [InlineData("'from':-1", "")]
    [InlineData("'size':-1", "")]
    [InlineData("'size':'ten'", "")]
    [InlineData("'size':2.5", "")]
    [InlineData("'size':null", "")]
    [InlineData("'size':99999999999", "")]
    [InlineData("", "?size=x")]
    [InlineData("", "?from=-2")]
    [InlineData("'docvalue_fields':'tag'", "")]
    [InlineData("'fields':{'field':'tag'}", "")]
    public void Plan_ValueTheClusterRefuses_SkipsInvalidBodyWithoutTheExtension(string member, string queryString)
    {
        var body = J("{" + Query + (member.Length > 0 ? "," + member : string.Empty) + ",'ext':{'rerank':{'window':10}}}");

        var skip = Skip(body, queryString);

        Assert.Equal(SkipReasons.InvalidBody, skip.Reason);
        AssertJson(J("{" + Query + (member.Length > 0 ? "," + member : string.Empty) + "}"), skip.Body);
        Assert.Equal(queryString, skip.QueryString);
    }

    [Fact]
    public void Plan_Skip_ForwardsTheBodyWithoutRerankButWithOtherExtensionsAndUnknownKeys()
    {
        var body = J("{" + Query + ",'collapse':{'field':'user'},'my_plugin':{'x':[1,2.50]},'ext':{'rerank':{'window':10},'other':{'y':1}}}");

        var skip = Skip(body, "?routing=a&size=3");

        Assert.Equal(SkipReasons.Collapse, skip.Reason);
        AssertJson(J("{" + Query + ",'collapse':{'field':'user'},'my_plugin':{'x':[1,2.50]},'ext':{'other':{'y':1}}}"), skip.Body);
        Assert.Contains("2.50", Text(skip.Body), StringComparison.Ordinal);
        Assert.Equal("?routing=a&size=3", skip.QueryString);
    }

    [Fact]
    public void Plan_SkipWithoutExtension_ForwardsTheBodyBytesUntouched()
    {
        var body = Encoding.UTF8.GetBytes("{ \"query\" : {\"match_all\":{}} , \"size\": 1.0e1 }");

        var skip = Assert.IsType<SearchPlanResult.Skip>(SearchRequestPlanner.Plan(new SearchRequest("papers", string.Empty, body), Config()));

        Assert.Equal(SkipReasons.InvalidBody, skip.Reason);
        Assert.Equal(body, skip.Body.ToArray());
    }

    [Fact]
    public void Plan_DisabledByRequest_ForwardsTheBodyWithoutExtOnceItIsEmpty()
    {
        var skip = Skip(J("{" + Query + ",'ext':{'rerank':{'enabled':false}}}"));

        Assert.Equal(SkipReasons.DisabledByRequest, skip.Reason);
        AssertJson(J("{" + Query + "}"), skip.Body);
    }
}
