using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util.Automaton;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>The determinization bounds of <see cref="AutomatonLimits"/> and the search time bound, against hand-counted automata.</summary>
public sealed class AutomatonLimitsTests
{
    [Theory]
    [InlineData("abc", 4)] // a plain string: one state per character plus the start
    [InlineData("a?c", 4)] // '?' is one (any) character: still a chain
    [InlineData("ab?ab?", 7)]
    public void Check_ChainPatterns_CountsOneStatePerCharacterPlusStart(string pattern, int states)
    {
        var automaton = WildcardQuery.ToAutomaton(new Term("f", pattern));

        Assert.Equal(states, AutomatonLimits.Check(automaton));
    }

    [Fact]
    public void Check_PlainStringOf10000Characters_IsOverTheLimit()
    {
        // 10,000 characters are 10,001 states: one more than Lucene's default max_determinized_states.
        var automaton = BasicAutomata.MakeString(new string('a', 10_000));

        var error = Assert.Throws<EngineException>(() => AutomatonLimits.Check(automaton));

        Assert.Equal(400, error.Status);
        Assert.Equal("too_complex_to_determinize_exception", error.Type);
        Assert.Equal("Determinizing automaton with 10001 states and 10000 transitions would result in more than 10000 states.", error.Reason);
    }

    [Fact]
    public void Check_PlainStringOf9999Characters_IsAccepted()
    {
        Assert.Equal(10_000, AutomatonLimits.Check(BasicAutomata.MakeString(new string('a', 9_999))));
    }

    [Fact]
    public void Wildcard_AtTheStateLimit_CompilesWithoutOverflowingTheStack()
    {
        // 9,999 characters: 10,000 states, the most accepted. Lucene.Net recurses once per state while compiling, which
        // overflows a 1.5 MiB stack at about 5,760 states; if the large-stack thread did not take it, this would end the
        // test process rather than fail.
        var pattern = string.Concat(Enumerable.Repeat("ab?", 3_333));

        var query = AutomatonLimits.Wildcard(new Term("f", pattern));

        Assert.IsType<WildcardQuery>(query);
    }

    [Theory]
    [InlineData(18)] // linear forwards, exponential reversed: Lucene.Net took 49 s to find its common suffix
    [InlineData(40)]
    public void Check_PatternWhoseReverseExplodes_IsRefusedQuickly(int questionMarks)
    {
        var automaton = WildcardQuery.ToAutomaton(new Term("f", new string('?', questionMarks) + "a*"));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<EngineException>(() => AutomatonLimits.Check(automaton));

        Assert.Equal("too_complex_to_determinize_exception", error.Type);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Check_LongChainEndingInStar_IsRefusedQuickly()
    {
        // "a?" 2,000 times then "*": 4,001 states forwards, but the reverse ("*" then the chain, matched at the end)
        // took Lucene.Net over 60 s.
        var automaton = WildcardQuery.ToAutomaton(new Term("f", string.Concat(Enumerable.Repeat("a?", 2_000)) + "*"));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<EngineException>(() => AutomatonLimits.Check(automaton));

        Assert.Equal("too_complex_to_determinize_exception", error.Type);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Check_ShortPatternWithStar_IsAccepted()
    {
        // "ab*": its minimal automaton has 3 states (start, after a, after b); Lucene's concatenation leaves an
        // unminimised fourth, and the reverse ("ends with ba") needs no more. Far below every limit either way.
        Assert.InRange(AutomatonLimits.Check(WildcardQuery.ToAutomaton(new Term("f", "ab*"))), 3, 4);
    }

    [Theory]
    [InlineData(null, 30_000)]
    [InlineData(5_000, 5_000)]
    [InlineData(600_000, 30_000)]
    [InlineData(-1, 30_000)]
    [InlineData(0, 0)]
    public void SearchTimeBound_TakesTheShorterOfTheRequestAnd30Seconds(int? requestedMs, int boundMs)
    {
        TimeSpan? requested = requestedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

        Assert.Equal(TimeSpan.FromMilliseconds(boundMs), SearchTimeBound.Bound(requested));
    }
}
