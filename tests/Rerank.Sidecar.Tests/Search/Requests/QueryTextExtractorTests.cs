using System.Text;
using System.Text.Json;
using Rerank.Sidecar.Search.Requests;
using static Rerank.Sidecar.Tests.Search.Requests.PlannerTestKit;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>docs/search.md "Query text".</summary>
public sealed class QueryTextExtractorTests
{
    [Theory]
    [InlineData("{'match':{'title':'deep learning'}}", "deep learning")]
    [InlineData("{'match':{'title':{'query':'deep learning','operator':'and'}}}", "deep learning")]
    [InlineData("{'match_phrase':{'title':'deep learning'}}", "deep learning")]
    [InlineData("{'match_phrase':{'title':{'query':'deep learning','slop':2}}}", "deep learning")]
    [InlineData("{'match_phrase_prefix':{'title':'deep lea'}}", "deep lea")]
    [InlineData("{'match_phrase_prefix':{'title':{'query':'deep lea'}}}", "deep lea")]
    [InlineData("{'match_bool_prefix':{'title':'deep lea'}}", "deep lea")]
    [InlineData("{'match_bool_prefix':{'title':{'query':'deep lea'}}}", "deep lea")]
    [InlineData("{'multi_match':{'query':'deep learning','fields':['title','abstract']}}", "deep learning")]
    [InlineData("{'combined_fields':{'query':'deep learning','fields':['title']}}", "deep learning")]
    [InlineData("{'query_string':{'query':'title:(deep AND learning)'}}", "title:(deep AND learning)")]
    [InlineData("{'simple_query_string':{'query':'deep + learning'}}", "deep + learning")]
    [InlineData("{'match':{'title':'  padded  '}}", "padded")]
    public void Extract_RelevanceQuery_TakesItsText(string query, string expected) =>
        Assert.Equal(expected, Extract(query));

    [Theory]
    [InlineData("{'match_all':{}}")]
    [InlineData("{'term':{'tag':'cats'}}")]
    [InlineData("{'terms':{'tag':['cats']}}")]
    [InlineData("{'prefix':{'title':'ca'}}")]
    [InlineData("{'match':{'year':2020}}")]
    [InlineData("{'match':{'year':{'query':2020}}}")]
    [InlineData("{'multi_match':{'fields':['title']}}")]
    [InlineData("{'constant_score':{'filter':{'match':{'title':'cats'}}}}")]
    [InlineData("{'bool':{'filter':{'match':{'title':'cats'}}}}")]
    [InlineData("{'bool':{'must_not':[{'match':{'title':'cats'}}]}}")]
    [InlineData("{'boosting':{'negative':{'match':{'title':'cats'}},'negative_boost':0.5}}")]
    [InlineData("{'nested':{'path':'comments','query':{'match':{'comments.text':'cats'}}}}")]
    [InlineData("{'match':'cats'}")]
    [InlineData("{'bool':{'must':'cats'}}")]
    [InlineData("{'bool':{'must':[1,null,'x',[{'match':{'title':'cats'}}]]}}")]
    [InlineData("{'dis_max':{'queries':{'x':1}}}")]
    [InlineData("'cats'")]
    [InlineData("null")]
    public void Extract_NoRelevanceText_IsEmpty(string query) =>
        Assert.Equal(string.Empty, Extract(query));

    [Theory]
    [InlineData("{'bool':{'must':{'match':{'title':'cats'}}}}", "cats")]
    [InlineData("{'bool':{'must':[{'match':{'title':'cats'}},{'match':{'abstract':'dogs'}}]}}", "cats dogs")]
    [InlineData("{'bool':{'should':[{'match':{'title':'cats'}},{'multi_match':{'query':'dogs'}}],'must':{'match':{'title':'birds'}}}}", "cats dogs birds")]
    [InlineData("{'bool':{'must':[{'match':{'title':'cats'}}],'filter':[{'match':{'tag':'pets'}}],'must_not':{'match':{'title':'dogs'}},'should':{'match':{'abstract':'fur'}}}}", "cats fur")]
    [InlineData("{'dis_max':{'queries':[{'match':{'title':'cats'}},{'match':{'abstract':'felines'}}],'tie_breaker':0.3}}", "cats felines")]
    [InlineData("{'function_score':{'query':{'match':{'title':'cats'}},'functions':[{'weight':2}]}}", "cats")]
    [InlineData("{'script_score':{'query':{'match':{'title':'cats'}},'script':{'source':'_score'}}}", "cats")]
    [InlineData("{'boosting':{'positive':{'match':{'title':'cats'}},'negative':{'match':{'title':'dogs'}},'negative_boost':0.2}}", "cats")]
    [InlineData("{'bool':{'should':[{'dis_max':{'queries':[{'function_score':{'query':{'bool':{'must':{'match_phrase':{'title':'deep'}}}}}}]}},{'boosting':{'positive':{'query_string':{'query':'nets'}}}}]}}", "deep nets")]
    [InlineData("{'bool':{'should':[{'match':{'title':'cats'}},{'match':{'abstract':'cats'}},{'multi_match':{'query':'cats'}}]}}", "cats")]
    [InlineData("{'bool':{'should':[{'match':{'title':'Cats'}},{'match':{'abstract':'cats'}}]}}", "Cats cats")]
    [InlineData("{'match':{'title':'cats','abstract':'dogs'}}", "cats dogs")]
    public void Extract_NestedClauses_JoinsDistinctTextsInTheOrderFound(string query, string expected) =>
        Assert.Equal(expected, Extract(query));

    [Fact]
    public void Extract_TextAtTheDepthLimit_IsFound()
    {
        // 63 bools put the match at query level 64, the documented limit.
        Assert.Equal("cats", Extract(NestedBools(63, "{'match':{'title':'cats'}}")));
    }

    [Fact]
    public void Extract_TextBelowTheDepthLimit_IsNotFound()
    {
        Assert.Equal(string.Empty, Extract(NestedBools(64, "{'match':{'title':'cats'}}")));
    }

    [Fact]
    public void Extract_TextsAboveAndBelowTheDepthLimit_KeepsTheReachableOnes()
    {
        var deep = NestedBools(70, "{'match':{'title':'lost'}}");
        Assert.Equal("kept", Extract("{'bool':{'should':[" + deep + ",{'match':{'title':'kept'}}]}}"));
    }

    [Fact]
    public void Extract_HugeShouldArray_KeepsEachTextOnce()
    {
        var clauses = string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"{{'match':{{'title':'t{i % 3}'}}}}"));
        Assert.Equal("t0 t1 t2", Extract("{'bool':{'should':[" + clauses + "]}}"));
    }

    [Fact]
    public void Plan_ExtQueryGiven_WinsOverUrlAndBodyQuery()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}},'ext':{'rerank':{'query':'what do felines eat'}}}"), "?q=dogs");

        Assert.Equal("what do felines eat", plan.QueryText);
    }

    [Fact]
    public void Plan_UrlQ_WinsOverTheBodyQuery()
    {
        var plan = PlanRerank(J("{'query':{'match':{'title':'cats'}}}"), "?q=title%3Adogs+AND+puppies&df=title");

        Assert.Equal("title:dogs AND puppies", plan.QueryText);
    }

    [Fact]
    public void Plan_DeepBoolWithinTheParserLimit_NeverThrows()
    {
        // 450 bools are 900 JSON levels: parsed, walked to 64 levels, copied into every body.
        var plan = PlanRerank("{\"query\":{\"bool\":{\"should\":[{\"match\":{\"title\":\"cats\"}}," + J(NestedBools(450, "{'match':{'title':'lost'}}")) + "]}}}");

        Assert.Equal("cats", plan.QueryText);
        Assert.Contains("lost", Text(plan.FirstStageBody), StringComparison.Ordinal);
        Assert.Contains("lost", Text(plan.BuildFetchBody(["1"])), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NestingPastTheParserLimit_SkipsInvalidBody()
    {
        var body = J("{'query':" + NestedBools(600, "{'match':{'title':'cats'}}") + "}");

        Assert.Equal(SkipReasons.InvalidBody, Skip(body).Reason);
    }

    private static string Extract(string query)
    {
        using var document = JsonDocument.Parse(J(query), new JsonDocumentOptions { MaxDepth = 2000 });
        return QueryTextExtractor.Extract(document.RootElement);
    }

    private static string NestedBools(int count, string leaf)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("{'bool':{'must':");
        }

        text.Append(leaf);
        for (var i = 0; i < count; i++)
        {
            text.Append("}}");
        }

        return text.ToString();
    }
}
