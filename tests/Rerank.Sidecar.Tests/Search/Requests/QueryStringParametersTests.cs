using Rerank.Sidecar.Search.Requests;

namespace Rerank.Sidecar.Tests.Search.Requests;

public sealed class QueryStringParametersTests
{
    [Theory]
    [InlineData("?q=deep+learning", "q", "deep learning")]
    [InlineData("?q=title%3A%22deep%20nets%22", "q", "title:\"deep nets\"")]
    [InlineData("q=caf%C3%A9", "q", "café")]
    [InlineData("?size=1&size=2", "size", "2")]
    [InlineData("?scroll", "scroll", "")]
    [InlineData("?a=1&&b=2", "b", "2")]
    [InlineData("?a=%ZZ", "a", "%ZZ")]
    [InlineData("?from=1", "size", null)]
    [InlineData("", "q", null)]
    public void Get_Parameter_IsDecodedAsTheClusterReadsIt(string queryString, string name, string? expected) =>
        Assert.Equal(expected, QueryStringParameters.Parse(queryString).Get(name));

    [Theory]
    [InlineData("?from=1&q=a+b&size=2&routing=x%2Cy", "?q=a+b&routing=x%2Cy")]
    [InlineData("?from=1&size=2", "")]
    [InlineData("", "")]
    [InlineData("?size=1&size=2&typed_keys", "?typed_keys")]
    public void Without_PageParameters_KeepsTheOthersAsWritten(string queryString, string expected) =>
        Assert.Equal(expected, QueryStringParameters.Parse(queryString).Without(SearchBodyKeys.UrlPage));
}
