using Microsoft.AspNetCore.Http;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

public sealed class SearchRouteTests
{
    [Theory]
    [InlineData("GET", "/books/_search", "books")]
    [InlineData("POST", "/books,films/_search", "books,films")]
    [InlineData("post", "/my-alias/_search", "my-alias")]
    public void Match_IndexSearch_ReturnsTheTarget(string method, string path, string target) =>
        Assert.Equal(target, SearchRoute.Match(method, new PathString(path)));

    [Theory]
    [InlineData("GET", "/_search")]
    [InlineData("GET", "/_all/_search")]
    [InlineData("PUT", "/books/_search")]
    [InlineData("DELETE", "/books/_search")]
    [InlineData("GET", "/books/_search/template")]
    [InlineData("GET", "/books/_msearch")]
    [InlineData("GET", "/books/_doc/_search")]
    [InlineData("GET", "/_search/scroll")]
    public void Match_OtherRoutes_ReturnsNull(string method, string path) =>
        Assert.Null(SearchRoute.Match(method, new PathString(path)));
}
