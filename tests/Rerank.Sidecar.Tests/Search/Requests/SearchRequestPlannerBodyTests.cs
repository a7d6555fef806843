using Rerank.IngestPipeline.Contracts;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>docs/search.md "Two phases": the first-stage and fetch bodies, compared key by key with hand-written ones.</summary>
public sealed class SearchRequestPlannerBodyTests
{
    // A body using most of the search API: a query, a page, fetch options, aggregations, totals, an unknown plugin key
    // (with a number written as 2.50) and another extension beside ext.rerank.
    private const string FullBody =
        "{'query':{'match':{'title':'deep learning'}},'from':5,'size':20,'_source':['title'],"
        + "'highlight':{'fields':{'title':{}}},'docvalue_fields':['year'],'stored_fields':['_id'],'script_fields':{'s':{'script':'1'}},"
        + "'explain':true,'version':true,'seq_no_primary_term':true,'fields':['tag'],"
        + "'aggs':{'by_tag':{'terms':{'field':'tag'}}},'aggregations':{'n':{'value_count':{'field':'year'}}},"
        + "'suggest':{'s':{'text':'dep','term':{'field':'title'}}},'post_filter':{'term':{'tag':'ml'}},'min_score':0.25,"
        + "'terminate_after':1000,'profile':false,'track_total_hits':true,'timeout':'2s','track_scores':true,"
        + "'my_plugin':{'weights':[1,2.50]},'ext':{'rerank':{'window':50,'explain':true},'other':{'x':1}}}";

    // FullBody's keys that every derived body keeps as they are.
    private const string Kept =
        "'query':{'match':{'title':'deep learning'}},"
        + "'aggs':{'by_tag':{'terms':{'field':'tag'}}},'aggregations':{'n':{'value_count':{'field':'year'}}},"
        + "'suggest':{'s':{'text':'dep','term':{'field':'title'}}},'post_filter':{'term':{'tag':'ml'}},'min_score':0.25,"
        + "'terminate_after':1000,'profile':false,'track_total_hits':true,'timeout':'2s','track_scores':true,"
        + "'my_plugin':{'weights':[1,2.50]},'ext':{'other':{'x':1}}";

    private const string UserFetchOptions =
        "'_source':['title'],'highlight':{'fields':{'title':{}}},'stored_fields':['_id'],'script_fields':{'s':{'script':'1'}},"
        + "'explain':true,'version':true,'seq_no_primary_term':true";

    [Fact]
    public void Plan_FullBody_ReadsThePageAndWindow()
    {
        var plan = PlanRerank(J(FullBody));

        Assert.Equal(5, plan.From);
        Assert.Equal(20, plan.Size);
        Assert.Equal(50, plan.Window);
        Assert.True(plan.Explain);
        Assert.Equal(50, plan.FirstStageSize);
        Assert.Equal("deep learning", plan.QueryText);
    }

    [Fact]
    public void FirstStageBody_FullBody_DropsFetchOptionsAndAsksForTheBinaryProjectionAsDocValues()
    {
        var plan = PlanRerank(J(FullBody));

        AssertJson(
            J("{" + Kept + ",'from':0,'size':50,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"),
            plan.FirstStageBody);
        Assert.Contains("2.50", Text(plan.FirstStageBody), StringComparison.Ordinal);
    }

    [Fact]
    public void FirstStageBody_Float32Projection_AsksForItThroughFields()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}}}"), config: Config(encoding: ProjectionEncoding.Float32));

        AssertJson(
            J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'_source':false,'docvalue_fields':['rerank.model','rerank.stale'],'fields':['rerank.projection']}"),
            plan.FirstStageBody);
    }

    [Fact]
    public void FirstStageBody_ConfiguredFieldPaths_AreTheOnesAskedFor()
    {
        var config = Config(encoding: ProjectionEncoding.Int8) with
        {
            Fields = new RerankStoredFields { Projection = "vec.p", Model = "vec.m", Stale = "vec.s", Embedding = "vec.e" },
        };

        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'size':3}"), config: config);

        AssertJson(J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'_source':false,'docvalue_fields':['vec.p','vec.m','vec.s']}"), plan.FirstStageBody);
    }

    [Fact]
    public void FirstStageBody_PageBeyondTheWindowEnd_AsksForFromPlusSize()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'from':90,'size':30}"));

        Assert.Equal(120, plan.FirstStageSize);
        AssertJson(J("{'query':{'match':{'title':'cats'}},'from':0,'size':120,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"), plan.FirstStageBody);
    }

    [Fact]
    public void FirstStageBody_NoBodyAndUrlQ_IsTheFieldsAlone()
    {
        var plan = PlanRerank(null, "?q=cats&size=4");

        Assert.Equal("cats", plan.QueryText);
        Assert.Equal(4, plan.Size);
        AssertJson(J("{'from':0,'size':100,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"), plan.FirstStageBody);
        AssertJson(J("{'from':0,'size':100,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"), plan.SinglePhaseBody);
        Assert.Equal("?q=cats", plan.UpstreamQueryString);
        Assert.Equal(0, plan.PassThroughBody.Length);
    }

    [Fact]
    public void SinglePhaseBody_FullBody_KeepsFetchOptionsAndAppendsTheRerankFields()
    {
        var plan = PlanRerank(J(FullBody));

        AssertJson(
            J("{" + Kept + "," + UserFetchOptions + ",'fields':['tag'],'from':0,'size':50,"
              + "'docvalue_fields':['year','rerank.projection','rerank.model','rerank.stale']}"),
            plan.SinglePhaseBody);
        Assert.Equal(["rerank.projection", "rerank.model", "rerank.stale"], plan.AddedFetchFields);
    }

    [Fact]
    public void SinglePhaseBody_UserAsksForSomeRerankFields_AddsOnlyTheOthers()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'docvalue_fields':['tag',{'field':'rerank.model','format':'use_field_mapping'}],'fields':['rerank.st*']}"));

        AssertJson(
            J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,"
              + "'docvalue_fields':['tag',{'field':'rerank.model','format':'use_field_mapping'},'rerank.projection','rerank.stale'],'fields':['rerank.st*']}"),
            plan.SinglePhaseBody);
        Assert.Equal(["rerank.projection"], plan.AddedFetchFields);
    }

    [Fact]
    public void SinglePhaseBody_UserPatternInTheSameOption_AddsNothingThere()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'docvalue_fields':['rerank.*']}"));

        AssertJson(J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'docvalue_fields':['rerank.*']}"), plan.SinglePhaseBody);
        Assert.Empty(plan.AddedFetchFields);
    }

    [Fact]
    public void SinglePhaseBody_Float32_MergesTheProjectionIntoTheUsersFields()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'fields':['title',{'field':'date','format':'yyyy'}]}"), config: Config(encoding: ProjectionEncoding.Float32));

        AssertJson(
            J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'docvalue_fields':['rerank.model','rerank.stale'],"
              + "'fields':['title',{'field':'date','format':'yyyy'},'rerank.projection']}"),
            plan.SinglePhaseBody);
        Assert.Equal(["rerank.model", "rerank.stale", "rerank.projection"], plan.AddedFetchFields);
    }

    [Fact]
    public void BuildFetchBody_FullBody_FiltersTheUsersQueryByIdsWithTheUsersFetchOptions()
    {
        var plan = PlanRerank(J(FullBody));

        var fetch = plan.BuildFetchBody(["d7", "d3"]);

        AssertJson(
            J("{'query':{'bool':{'must':[{'match':{'title':'deep learning'}}],'filter':[{'ids':{'values':['d7','d3']}}]}},"
              + UserFetchOptions + ",'docvalue_fields':['year'],'fields':['tag'],'timeout':'2s','track_scores':true,"
              + "'my_plugin':{'weights':[1,2.50]},'ext':{'other':{'x':1}},'from':0,'size':2,'track_total_hits':false}"),
            fetch);
        Assert.Contains("2.50", Text(fetch), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildFetchBody_CalledTwice_BuildsEachPage()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'_source':false}"));

        var first = plan.BuildFetchBody(["a"]);
        var second = plan.BuildFetchBody(["b", "c", "d"]);

        AssertJson(J("{'query':{'bool':{'must':[{'match':{'title':'cats'}}],'filter':[{'ids':{'values':['a']}}]}},'_source':false,'from':0,'size':1,'track_total_hits':false}"), first);
        AssertJson(J("{'query':{'bool':{'must':[{'match':{'title':'cats'}}],'filter':[{'ids':{'values':['b','c','d']}}]}},'_source':false,'from':0,'size':3,'track_total_hits':false}"), second);
    }

    [Fact]
    public void BuildFetchBody_SameIdInTwoIndices_CountsBothHitsAndNamesTheIdOnce()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}}}"));

        AssertJson(
            J("{'query':{'bool':{'must':[{'match':{'title':'cats'}}],'filter':[{'ids':{'values':['a','b']}}]}},'from':0,'size':3,'track_total_hits':false}"),
            plan.BuildFetchBody(["a", "b", "a"]));
    }

    [Fact]
    public void BuildFetchBody_NoQueryInTheBody_IsTheIdsQuery()
    {
        var plan = PlanRerank(J("{'knn':{'field':'v','query_vector':[0.5,1],'k':10,'num_candidates':50},'ext':{'rerank':{'query':'cats'}}}"));

        AssertJson(J("{'query':{'ids':{'values':['a']}},'from':0,'size':1,'track_total_hits':false}"), plan.BuildFetchBody(["a"]));
        AssertJson(
            J("{'knn':{'field':'v','query_vector':[0.5,1],'k':10,'num_candidates':50},'from':0,'size':100,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"),
            plan.FirstStageBody);
    }

    [Fact]
    public void BuildFetchBody_QueryWithKnn_PutsTheQueryUnderShould()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'knn':{'field':'v','query_vector':[1,0],'k':5}}"));

        AssertJson(
            J("{'query':{'bool':{'should':[{'match':{'title':'cats'}}],'filter':[{'ids':{'values':['a']}}]}},'from':0,'size':1,'track_total_hits':false}"),
            plan.BuildFetchBody(["a"]));
    }

    [Fact]
    public void BuildFetchBody_UrlQ_FiltersByIdsInPostFilterAndKeepsQ()
    {
        var plan = PlanRerank(J("{'query':{'match_all':{}},'post_filter':{'term':{'tag':'x'}},'highlight':{'fields':{'title':{}}}}"), "?q=title%3Acats&df=title&size=2");

        AssertJson(
            J("{'highlight':{'fields':{'title':{}}},'post_filter':{'ids':{'values':['a','b']}},'from':0,'size':2,'track_total_hits':false}"),
            plan.BuildFetchBody(["a", "b"]));
        Assert.Equal("?q=title%3Acats&df=title", plan.FetchQueryString);
        Assert.Equal("?q=title%3Acats&df=title", plan.UpstreamQueryString);
    }

    [Fact]
    public void QueryStrings_UrlParameters_GoWhereEachCallNeedsThem()
    {
        const string queryString = "?from=3&size=7&_source_includes=title&explain=true&track_total_hits=false&routing=r1"
            + "&terminate_after=5&rest_total_hits_as_int=true&stored_fields=a,b&version=true&typed_keys=true&sort=_score";

        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'from':1,'size':2}"), queryString);

        Assert.Equal(3, plan.From);
        Assert.Equal(7, plan.Size);
        Assert.Equal("?track_total_hits=false&routing=r1&terminate_after=5&rest_total_hits_as_int=true&typed_keys=true&sort=_score", plan.UpstreamQueryString);
        Assert.Equal(
            "?_source_includes=title&explain=true&track_total_hits=false&routing=r1&terminate_after=5&rest_total_hits_as_int=true&stored_fields=a,b&version=true&typed_keys=true&sort=_score",
            plan.SinglePhaseQueryString);
        Assert.Equal("?_source_includes=title&explain=true&routing=r1&stored_fields=a,b&version=true&typed_keys=true&sort=_score", plan.FetchQueryString);
        Assert.Equal(queryString, plan.PassThroughQueryString);
        AssertJson(J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"), plan.FirstStageBody);
    }

    [Fact]
    public void PassThroughBody_WithExtension_IsTheBodyWithoutIt()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'size':3,'ext':{'rerank':{'window':20}}}"));

        AssertJson(J("{'query':{'match':{'title':'cats'}},'size':3}"), plan.PassThroughBody);
    }

    [Fact]
    public void PassThroughBody_WithoutExtension_IsTheUsersBytes()
    {
        const string body = "{ \"query\" : { \"match\" : { \"title\" : \"cats\" } }, \"size\": 3 }";

        var plan = PlanRerank(body);

        Assert.Equal(body, Text(plan.PassThroughBody));
    }

    [Fact]
    public void FirstStageBody_NonAsciiAndEscapedText_KeepsItsMeaning()
    {
        var plan = PlanRerank("{\"query\":{\"match\":{\"title\":\"caf\\u00e9 \\\"noir\\\" — ü\"}}}");

        Assert.Equal("café \"noir\" — ü", plan.QueryText);
        AssertJson("{\"query\":{\"match\":{\"title\":\"café \\\"noir\\\" — ü\"}},\"from\":0,\"size\":100,\"_source\":false,\"docvalue_fields\":[\"rerank.projection\",\"rerank.model\",\"rerank.stale\"]}", plan.FirstStageBody);
    }

    [Fact]
    public void FirstStageBody_CommentsInTheBody_AreAcceptedAndLeftOut()
    {
        var plan = PlanRerank("{/* c */ \"query\": {\"match\": {\"title\": \"cats\"}} // end\n}");

        Assert.DoesNotContain("/*", Text(plan.FirstStageBody), StringComparison.Ordinal);
        AssertJson(J("{'query':{'match':{'title':'cats'}},'from':0,'size':100,'_source':false,'docvalue_fields':['rerank.projection','rerank.model','rerank.stale']}"), plan.FirstStageBody);
    }
}
