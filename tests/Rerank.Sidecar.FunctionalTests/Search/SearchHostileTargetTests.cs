using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rerank.Sidecar.Models;

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
        await _stack.CreateAsync(_stack.Sidecar, "books", _stack.Mapping(",\"window\":20,\"budget_ms\":10000"), 12);
        await _stack.CreateAsync(_stack.Sidecar, "books2", _stack.Mapping(",\"window\":20,\"budget_ms\":10000"), 12);
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

    [Theory]
    [InlineData("GET", "/books/_search", Body)]
    [InlineData("POST", "/books/_search?q=river", null)]
    [InlineData("GET", "/books/_search?q=river&size=3", "")]
    [InlineData("POST", "/books/_search", "{/* a comment */\"query\":{\"match\":{\"text\":\"river\"}} // and another\n}")]
    [InlineData("POST", "/books/_search", "{\"query\":{\"match\":{\"text\":\"river\"}},}")]
    [InlineData("POST", "/books/_search", "{\"query\":null,\"ext\":{\"rerank\":{\"query\":\"river\"}}}")]
    [InlineData("POST", "/books/_search", "{\"query\":{\"match\":{\"text\":\"   \"}}}")]
    [InlineData("POST", "/books/_search", "{\"query\":{\"match\":{\"text\":\"river\"}},\"from\":25,\"ext\":{\"rerank\":{\"explain\":true,\"window\":5}}}")]
    [InlineData("POST", "/books/_search", "{\"query\":{\"match\":{\"text\":\"river\"}},\"from\":\"2\",\"size\":\"3\"}")]
    [InlineData("POST", "/books/_search", "{\"query\":{\"match\":{\"text\":\"river\"}},\"size\":1e400}")]
    [InlineData("POST", "/books/_search", "[]")]
    [InlineData("POST", "/books/_search", "\"river\"")]
    public async Task Search_OddMethodOrBody_AnswersAsTheClusterDoes(string method, string path, string? body)
    {
        // ext is the sidecar's (the engine refuses it): the engine is asked without it.
        var engineBody = body;
        if (body?.Contains("\"ext\"", StringComparison.Ordinal) == true)
        {
            var withoutExt = JsonNode.Parse(body)!.AsObject();
            withoutExt.Remove("ext");
            engineBody = withoutExt.ToJsonString();
        }

        var (engineStatus, engineAnswer, engineResponse) = await SearchStack.SendAsync(_stack.Engine, new HttpMethod(method), path, engineBody);
        engineResponse.Dispose();

        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, new HttpMethod(method), path, body);
        var header = SearchStack.Header(response, "X-Rerank");
        response.Dispose();

        Assert.Equal(engineStatus, status);
        if ((int)status >= 400)
        {
            Assert.Equal((string?)engineAnswer?["error"]?["type"], (string?)answer?["error"]?["type"]);
        }
        else
        {
            Assert.Equal(Hits(engineAnswer!), Hits(answer!));
        }

        Assert.NotEmpty(header);
        Assert.DoesNotContain("internal_error", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(3, 5)]
    [InlineData(0, 20)]
    public async Task Search_TwoIndicesSharingIds_EveryPageHitIsFetched(int from, int size)
    {
        // books and books2 hold the same ids (d0..d11). The fetch asks for the page's ids; the other index's documents
        // with those ids match it too and must not push a page hit out of the answer. Window 20: two phases.
        var body = "{\"query\":{\"match\":{\"text\":\"river stone\"}},\"from\":" + from + ",\"size\":" + size + ",\"ext\":{\"rerank\":{\"explain\":true}}}";

        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, HttpMethod.Post, "/books,books2/_search", body);
        var header = SearchStack.Header(response, "X-Rerank");
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("applied", header);
        var hits = answer!["hits"]!["hits"]!.AsArray();
        Assert.Equal(Enumerable.Range(from + 1, size).ToList(), hits.Select(h => (int)h!["_rerank"]!["rank"]!).ToList());
        Assert.Equal(size, hits.Select(h => (string)h!["_index"]! + "/" + (string)h["_id"]!).Distinct().Count());
    }

    [Fact]
    public async Task Search_ManyConcurrentSearchesWhileTheModelReloads_AreAllReranked()
    {
        // The bundle's files get a new write time, so each scan loads it again and retires the model in use; searches
        // hold leases, so none sees a disposed model or no model (budget 10 s: the 2-core machine is not the question).
        var registry = _stack.Services.GetRequiredService<ModelRegistry>();
        var file = Directory.EnumerateFiles(_stack.Bundle, "*", SearchOption.AllDirectories).First();
        using var stop = new CancellationTokenSource();
        var reloads = Task.Run(async () =>
        {
            var count = 0;
            for (var tick = 1; !stop.IsCancellationRequested; tick++)
            {
                File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(tick));
                await registry.ScanAsync(CancellationToken.None);
                count++;
            }

            return count;
        });

        var searches = Enumerable.Range(0, 48).Select(async i =>
        {
            var (status, answer, response) = await SearchStack.SendAsync(
                _stack.Sidecar, HttpMethod.Post, i % 2 == 0 ? "/books/_search" : "/books,books2/_search", """{"query":{"match":{"text":"river stone"}},"size":5}""");
            using (response)
            {
                return ((int)status, SearchStack.Header(response, "X-Rerank"), answer is null ? -1 : Hits(answer));
            }
        }).ToList();
        var results = await Task.WhenAll(searches);
        await stop.CancelAsync();
        var reloaded = await reloads;

        Assert.True(reloaded >= 2, $"{reloaded} reloads");
        Assert.All(results, r => Assert.Equal((200, "applied", 5), r));
    }

    private static int Hits(JsonNode answer) => answer["hits"]!["hits"]!.AsArray().Count;
}
