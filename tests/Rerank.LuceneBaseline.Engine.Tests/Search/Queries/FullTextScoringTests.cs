using static Rerank.LuceneBaseline.Engine.Tests.Search.Queries.Bm25Reference;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>
/// match, match_phrase, term and bool scores against BM25 computed by hand (<see cref="Bm25Reference"/>), and their
/// hit sets against hand-worked expectations.
/// </summary>
public sealed class FullTextScoringTests : IDisposable
{
    // title lengths 1, 4, 45, 2: 4 documents with a title, total 52 terms, avgdl 13. Document frequencies: apple 2 (a1,
    // a2), banana 2 (a2, a3), cherry 2 (a2, a4), date 1 (a4). Length 45 is not exact under the one-byte norm (reads back 44).
    private const double Avgdl = 52.0 / 4.0;
    private const int N = 4;

    private readonly QueryTestIndex _index = QueryTestIndex.Create(
        """{"properties": {"title": {"type": "text"}, "tag": {"type": "keyword"}}}""",
        ("a1", """{"title": "apple", "tag": "fruit"}"""),
        ("a2", """{"title": "apple apple banana cherry", "tag": "fruit"}"""),
        ("a3", """{"title": "banana f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 f24 f25 f26 f27 f28 f29 f30 f31 f32 f33 f34 f35 f36 f37 f38 f39 f40 f41 f42 f43", "tag": "fruit"}"""),
        ("a4", """{"title": "Cherry date", "tag": "veg"}"""));

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Match_OrOfTwoTerms_SumsPerTermBm25()
    {
        var hits = _index.Search("""{"match": {"title": "apple banana"}}""");

        var expected = new Dictionary<string, double>
        {
            ["a1"] = Score(1, 1, Avgdl, 2, N),
            ["a2"] = Score(2, 4, Avgdl, 2, N) + Score(1, 4, Avgdl, 2, N),
            ["a3"] = Score(1, 45, Avgdl, 2, N),
        };
        Assert.Equal(["a2", "a1", "a3"], hits.Select(h => h.Id));
        foreach (var (id, score) in hits)
        {
            Assert.Equal(expected[id], score, 1e-5);
        }
    }

    [Fact]
    public void Match_NonExactNormLength_UsesTheOneByteLength()
    {
        var score = _index.Score("""{"match": {"title": "banana"}}""", "a3");

        Assert.Equal(44, DecodedLength(45));
        Assert.Equal(Score(1, 45, Avgdl, 2, N), score!.Value, 1e-5);
    }

    [Fact]
    public void Match_AndOperator_RequiresEveryTerm()
    {
        var hits = _index.Search("""{"match": {"title": {"query": "apple banana", "operator": "and"}}}""");

        var (id, score) = Assert.Single(hits);
        Assert.Equal("a2", id);
        Assert.Equal(Score(2, 4, Avgdl, 2, N) + Score(1, 4, Avgdl, 2, N), score, 1e-5);
    }

    [Fact]
    public void Match_RepeatedQueryToken_CountsTwice()
    {
        var once = _index.Score("""{"match": {"title": "cherry"}}""", "a2");
        var twice = _index.Score("""{"match": {"title": "cherry CHERRY"}}""", "a2");

        Assert.Equal(Score(1, 4, Avgdl, 2, N), once!.Value, 1e-5);
        Assert.Equal(2 * Score(1, 4, Avgdl, 2, N), twice!.Value, 1e-5);
    }

    [Fact]
    public void Match_Boost_MultipliesTheScore()
    {
        var score = _index.Score("""{"match": {"title": {"query": "apple", "boost": 2.5}}}""", "a1");

        Assert.Equal(Score(1, 1, Avgdl, 2, N, boost: 2.5), score!.Value, 1e-5);
    }

    [Fact]
    public void Match_AnalysesWithTheFieldAnalyzer_LowerCasing()
    {
        Assert.Equal(["a2", "a4"], _index.Ids("""{"match": {"title": "CHERRY!"}}"""));
    }

    [Theory]
    [InlineData("""{"match": {"title": "..."}}""", "")]
    [InlineData("""{"match": {"title": {"query": "...", "zero_terms_query": "none"}}}""", "")]
    [InlineData("""{"match": {"title": {"query": "...", "zero_terms_query": "all"}}}""", "a1 a2 a3 a4")]
    [InlineData("""{"match_phrase": {"title": {"query": "!!", "zero_terms_query": "all"}}}""", "a1 a2 a3 a4")]
    public void Match_NoTokens_FollowsZeroTermsQuery(string query, string ids)
    {
        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), _index.Ids(query));
    }

    [Fact]
    public void Match_ZeroTermsAll_ScoresOne()
    {
        Assert.All(_index.Search("""{"match": {"title": {"query": "...", "zero_terms_query": "all"}}}"""), h => Assert.Equal(1f, h.Score));
    }

    [Fact]
    public void MatchPhrase_AdjacentTerms_ScoresPhraseFrequencyWithSummedIdf()
    {
        var hits = _index.Search("""{"match_phrase": {"title": "apple banana"}}""");

        var (id, score) = Assert.Single(hits);
        Assert.Equal("a2", id);
        Assert.Equal(PhraseScore(1, 4, Avgdl, Idf(2, N) + Idf(2, N)), score, 1e-5);
    }

    [Fact]
    public void MatchPhrase_Slop_ScoresSloppyFrequency()
    {
        // "apple apple banana cherry": the second apple is 1 move from cherry's phrase position: frequency 1 / (1 + 1).
        Assert.Empty(_index.Search("""{"match_phrase": {"title": "apple cherry"}}"""));
        var score = _index.Score("""{"match_phrase": {"title": {"query": "apple cherry", "slop": 1}}}""", "a2");

        Assert.Equal(PhraseScore(0.5, 4, Avgdl, Idf(2, N) + Idf(2, N)), score!.Value, 1e-5);
    }

    [Fact]
    public void MatchPhrase_SingleToken_IsATermQuery()
    {
        Assert.Equal(_index.Score("""{"match": {"title": "banana"}}""", "a3"), _index.Score("""{"match_phrase": {"title": "banana"}}""", "a3"));
    }

    [Fact]
    public void Term_OnTextField_MatchesTheRawIndexedTerm()
    {
        Assert.Empty(_index.Search("""{"term": {"title": "Cherry"}}"""));
        Assert.Equal(["a2", "a4"], _index.Ids("""{"term": {"title": "cherry"}}"""));
        Assert.Equal(Score(1, 4, Avgdl, 2, N), _index.Score("""{"term": {"title": {"value": "cherry"}}}""", "a2")!.Value, 1e-5);
    }

    [Fact]
    public void Term_OnKeywordField_ScoresIdfWithoutNorms()
    {
        var hits = _index.Search("""{"term": {"tag": {"value": "veg", "boost": 3}}}""");

        var (id, score) = Assert.Single(hits);
        Assert.Equal("a4", id);
        Assert.Equal(UnnormedScore(1, N, boost: 3), score, 1e-5);
    }

    [Fact]
    public void Bool_MustAndShould_AddScores()
    {
        var hits = _index.Search("""{"bool": {"must": [{"match": {"title": "apple"}}], "should": {"match": {"title": "cherry"}}}}""");

        Assert.Equal(["a2", "a1"], hits.Select(h => h.Id));
        Assert.Equal(Score(2, 4, Avgdl, 2, N) + Score(1, 4, Avgdl, 2, N), hits[0].Score, 1e-5);
        Assert.Equal(Score(1, 1, Avgdl, 2, N), hits[1].Score, 1e-5);
    }

    [Fact]
    public void Bool_FilterClause_MatchesWithoutScoring()
    {
        var filtered = _index.Search("""{"bool": {"must": {"match": {"title": "apple"}}, "filter": {"match": {"title": "banana"}}}}""");
        var onlyFilter = _index.Search("""{"bool": {"filter": [{"match": {"title": "banana"}}]}}""");

        var (id, score) = Assert.Single(filtered);
        Assert.Equal("a2", id);
        Assert.Equal(Score(2, 4, Avgdl, 2, N), score, 1e-5);
        Assert.Equal(["a2", "a3"], onlyFilter.Select(h => h.Id).Order());
        Assert.All(onlyFilter, h => Assert.Equal(0f, h.Score));
    }

    [Fact]
    public void Bool_OnlyMustNot_MatchesTheRestWithScoreZero()
    {
        var hits = _index.Search("""{"bool": {"must_not": {"match": {"title": "apple"}}}}""");

        Assert.Equal(["a3", "a4"], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal(0f, h.Score));
    }

    [Theory]
    // Should clauses alone: at least one must match.
    [InlineData("""{"bool": {"should": [{"match": {"title": "apple"}}, {"match": {"title": "date"}}]}}""", "a1 a2 a4")]
    // With must_not and no must/filter: still at least one should clause.
    [InlineData("""{"bool": {"should": {"match": {"title": "apple"}}, "must_not": {"match": {"title": "banana"}}}}""", "a1")]
    // With a filter, should clauses are optional.
    [InlineData("""{"bool": {"should": {"match": {"title": "apple"}}, "filter": {"match": {"title": "banana"}}}}""", "a2 a3")]
    // minimum_should_match counts should clauses.
    [InlineData("""{"bool": {"should": [{"match": {"title": "apple"}}, {"match": {"title": "banana"}}, {"match": {"title": "date"}}], "minimum_should_match": 2}}""", "a2")]
    [InlineData("""{"bool": {"must": {"match": {"title": "cherry"}}, "should": [{"match": {"title": "apple"}}], "minimum_should_match": "100%"}}""", "a2")]
    // More than there are should clauses: nothing.
    [InlineData("""{"bool": {"should": [{"match": {"title": "apple"}}], "minimum_should_match": 2}}""", "")]
    // Null clauses are ignored; no clauses at all match everything.
    [InlineData("""{"bool": {"must": null}}""", "a1 a2 a3 a4")]
    public void Bool_ClauseCombinations_MatchAsElasticsearch(string query, string ids)
    {
        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), _index.Ids(query));
    }

    [Fact]
    public void Bool_FilterOnlyWithShouldScoresOnlyTheShould()
    {
        var hits = _index.Search("""{"bool": {"should": {"match": {"title": "apple"}}, "filter": {"match": {"title": "banana"}}}}""");

        Assert.Equal(Score(2, 4, Avgdl, 2, N), hits.Single(h => h.Id == "a2").Score, 1e-5);
        Assert.Equal(0f, hits.Single(h => h.Id == "a3").Score);
    }

    [Fact]
    public void Bool_EmptyAndBoosted_ScoresLikeMatchAll()
    {
        Assert.All(_index.Search("""{"bool": {}}"""), h => Assert.Equal(1f, h.Score));
        Assert.All(_index.Search("""{"bool": {"boost": 2}}"""), h => Assert.Equal(2f, h.Score));
        Assert.Equal(
            2 * Score(1, 1, Avgdl, 2, N),
            _index.Score("""{"bool": {"must": {"match": {"title": "apple"}}, "boost": 2}}""", "a1")!.Value,
            1e-5);
    }

    [Fact]
    public void Bool_NestedFilterContext_ContributesNothing()
    {
        var score = _index.Score(
            """{"bool": {"must": [{"match": {"title": "date"}}, {"bool": {"filter": {"match": {"title": "cherry"}}}}]}}""",
            "a4");

        Assert.Equal(Score(1, 2, Avgdl, 1, N), score!.Value, 1e-5);
    }

    [Fact]
    public void MatchAll_ScoresOneTimesBoost()
    {
        Assert.Equal(4, _index.Search("""{"match_all": {}}""").Count);
        Assert.All(_index.Search("""{"match_all": {"boost": 1.5}}"""), h => Assert.Equal(1.5f, h.Score));
    }

    [Fact]
    public void MatchNone_MatchesNothing()
    {
        Assert.Empty(_index.Search("""{"match_none": {}}"""));
    }

    [Fact]
    public void ConstantScore_ScoresBoost()
    {
        var hits = _index.Search("""{"constant_score": {"filter": {"match": {"title": "banana"}}, "boost": 3}}""");

        Assert.Equal(["a2", "a3"], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal(3f, h.Score));
    }

    [Fact]
    public void DisMax_TieBreaker_AddsTheOtherClausesPart()
    {
        var score = _index.Score(
            """{"dis_max": {"queries": [{"match": {"title": "apple"}}, {"match": {"title": "banana"}}], "tie_breaker": 0.3}}""",
            "a2");

        var apple = Score(2, 4, Avgdl, 2, N);
        var banana = Score(1, 4, Avgdl, 2, N);
        Assert.Equal(Math.Max(apple, banana) + (0.3 * Math.Min(apple, banana)), score!.Value, 1e-5);
    }

    [Fact]
    public void DisMax_DefaultTieBreaker_TakesTheBestClause()
    {
        var score = _index.Score("""{"dis_max": {"queries": {"match": {"title": "apple banana"}}}}""", "a2");
        var best = _index.Score("""{"dis_max": {"queries": [{"match": {"title": "apple"}}, {"match": {"title": "banana"}}]}}""", "a2");

        Assert.Equal(Score(2, 4, Avgdl, 2, N) + Score(1, 4, Avgdl, 2, N), score!.Value, 1e-5);
        Assert.Equal(Score(2, 4, Avgdl, 2, N), best!.Value, 1e-5);
    }

    [Fact]
    public void Boosting_NegativeMatch_MultipliesByNegativeBoost()
    {
        var hits = _index.Search(
            """{"boosting": {"positive": {"match": {"title": "apple"}}, "negative": {"match": {"title": "banana"}}, "negative_boost": 0.25, "boost": 2}}""");

        Assert.Equal(["a1", "a2"], hits.Select(h => h.Id));
        Assert.Equal(2 * Score(1, 1, Avgdl, 2, N), hits[0].Score, 1e-5);
        Assert.Equal(2 * 0.25 * Score(2, 4, Avgdl, 2, N), hits[1].Score, 1e-5);
    }

    [Fact]
    public void Match_UnmappedField_MatchesNothing()
    {
        Assert.Empty(_index.Search("""{"match": {"missing": "apple"}}"""));
        Assert.Empty(_index.Search("""{"term": {"missing": "apple"}}"""));
    }

    [Fact]
    public void Match_ExplicitAnalyzer_ReplacesTheFieldAnalyzer()
    {
        // whitespace keeps "Cherry" as is; the indexed term is "cherry".
        Assert.Empty(_index.Search("""{"match": {"title": {"query": "Cherry", "analyzer": "whitespace"}}}"""));
        Assert.Equal(["a2", "a4"], _index.Ids("""{"match": {"title": {"query": "Cherry", "analyzer": "standard"}}}"""));
        Assert.Empty(_index.Search("""{"match": {"title": {"query": "apple banana", "analyzer": "keyword"}}}"""));
    }
}
