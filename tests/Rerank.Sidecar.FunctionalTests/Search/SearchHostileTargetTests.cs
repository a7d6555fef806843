using System.Net;
using System.Text.Json.Nodes;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// Odd targets and page parameters through the sidecar against the embedded engine: each answer must be the one the
/// cluster gives the same request (same status, same error type, as many hits), never a 500 of the sidecar's.
/// </summary>
public sealed class SearchHostileTargetTests : IAsyncLifetime
{
    private const string Body = """{"query":{"match":{"text":"river"}}}""";

    private SearchStack _stack = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await SearchStack.StartAsync();
        await _stack.CreateAsync(_stack.Sidecar, "books", _stack.Mapping(",\"window\":20"), 12);
        await _stack.CreateAsync(_stack.Sidecar, "books2", _stack.Mapping(",\"window\":20"), 12);
    }

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("/boo*/_search")]
    [InlineData("/*/_search")]
    [InlineData("/boo*,-books2/_search")]
    [InlineData("/books%2Cbooks2/_search")]
    [InlineData("/books,books2/_search")]
    [InlineData("/remote:books/_search")]
    [InlineData("/_all/_search")]
    [InlineData("/books%2Fx/_search")]
    [InlineData("/missing/_search")]
    [InlineData("/books/_search?from=-1")]
    [InlineData("/books/_search?size=abc")]
    [InlineData("/books/_search?size=1e3")]
    [InlineData("/books/_search?size=1099511627776")]
    [InlineData("/books/_search?size=")]
    [InlineData("/books/_search?size=+3")]
    [InlineData("/books/_search?size=5&size=7")]
    [InlineData("/books/_search?%73ize=2")]
    [InlineData("/books/_search?from=19&size=10")]
    [InlineData("/books/_search?from=5&size=10001")]
    [InlineData("/books/_search?from=9999&size=2")]
    [InlineData("/books/_search?q=%FF%FE")]
    [InlineData("/books/_search?q=%20%20")]
    public async Task Search_OddTargetOrPage_AnswersAsTheClusterDoes(string path)
    {
        var (engineStatus, engineAnswer, engineResponse) = await SearchStack.SendAsync(_stack.Engine, HttpMethod.Post, path, Body);
        engineResponse.Dispose();

        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, HttpMethod.Post, path, Body);
        var header = SearchStack.Header(response, "X-Rerank");
        response.Dispose();

        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
        Assert.Equal(engineStatus, status);
        if ((int)status >= 400)
        {
            Assert.Equal((string?)engineAnswer?["error"]?["type"], (string?)answer?["error"]?["type"]);
            Assert.Equal((int)status, (int)answer!["status"]!);
        }
        else
        {
            Assert.Equal(Hits(engineAnswer!), Hits(answer!));
        }

        Assert.DoesNotContain("internal_error", header, StringComparison.Ordinal);
    }

    private static int Hits(JsonNode answer) => answer["hits"]!["hits"]!.AsArray().Count;
}
