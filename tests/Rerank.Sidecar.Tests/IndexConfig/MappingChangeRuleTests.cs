using Rerank.Sidecar.IndexConfig;

namespace Rerank.Sidecar.Tests.IndexConfig;

public sealed class MappingChangeRuleTests
{
    [Theory]
    [InlineData("PUT", "/books", true)]
    [InlineData("DELETE", "/books", true)]
    [InlineData("PUT", "/books/_mapping", true)]
    [InlineData("POST", "/books/_mapping", true)]
    [InlineData("POST", "/_aliases", true)]
    [InlineData("PUT", "/books/_alias/library", true)]
    [InlineData("DELETE", "/books/_alias/library", true)]
    [InlineData("PUT", "/_index_template/t1", true)]
    [InlineData("POST", "/books/_close", true)]
    [InlineData("POST", "/books/_open", true)]
    [InlineData("PUT", "/books/_settings", true)]
    [InlineData("PUT", "/books/_doc/1", false)]
    [InlineData("POST", "/books/_doc", false)]
    [InlineData("PUT", "/books/_create/1", false)]
    [InlineData("POST", "/books/_update/1", false)]
    [InlineData("DELETE", "/books/_doc/1", false)]
    [InlineData("POST", "/_bulk", false)]
    [InlineData("POST", "/books/_bulk", false)]
    [InlineData("POST", "/books/_search", false)]
    [InlineData("POST", "/books/_count", false)]
    [InlineData("POST", "/_mget", false)]
    [InlineData("POST", "/books/_refresh", false)]
    [InlineData("DELETE", "/_search/scroll", false)]
    [InlineData("DELETE", "/_pit", false)]
    [InlineData("GET", "/books/_mapping", false)]
    [InlineData("HEAD", "/books", false)]
    public void CanChangeMappings_Request_FollowsTheDocumentedRule(string method, string path, bool expected) =>
        Assert.Equal(expected, MappingChangeRule.CanChangeMappings(method, path));
}
