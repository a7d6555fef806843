using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.LuceneBaseline.Tests.Engine.Http;

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
    public void Matches_Table(string pattern, string value, bool expected) => Assert.Equal(expected, Glob.Matches(pattern, value));

    // Whether some path below a prefix could match: "author.*" can match under "author.", "title" cannot.
    [Theory]
    [InlineData("author.name", "author.", true)]
    [InlineData("author.*", "author.", true)]
    [InlineData("*.name", "author.", true)]
    [InlineData("title", "author.", false)]
    [InlineData("author", "author.", false)]
    [InlineData("a*", "author.", true)]
    [InlineData("b*", "author.", false)]
    public void MatchesSomeExtension_Table(string pattern, string prefix, bool expected) =>
        Assert.Equal(expected, Glob.MatchesSomeExtension(pattern, prefix));
}
