using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

// The engine's one wildcard matcher: the cases below were written for the field-pattern and filter_path matcher and
// for index expressions before those shared it; each row is worked out by hand from Regex.simpleMatch.
public sealed class GlobTests
{
    [Theory]
    [InlineData("title", "title", true)]
    [InlineData("title", "titles", false)]
    [InlineData("t*", "title", true)]
    [InlineData("*e", "title", true)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXcYYb", false)]
    [InlineData("logs-*", "logs-2024", true)]
    [InlineData("logs-*", "metrics-2024", false)]
    public void IsMatch_Table(string pattern, string value, bool expected) => Assert.Equal(expected, Glob.IsMatch(pattern, value));

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("logs-*", "logs-1", true)]
    [InlineData("logs-*", "logs-", true)]
    [InlineData("logs-*", "log", false)]
    [InlineData("*-old", "logs-old", true)]
    [InlineData("*-old", "logs-older", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXcYYb", false)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    [InlineData("l?gs", "logs", false)] // only '*' is a wildcard
    public void IsMatch_IndexExpression_MatchesAsSimpleMatch(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, value));
}
