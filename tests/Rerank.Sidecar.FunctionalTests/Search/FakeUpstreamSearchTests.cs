using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rerank.Sidecar.Search;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// The sidecar in front of a recording fake cluster that answers the first stage (the search asking <c>_source:
/// false</c>) as a test needs: garbage, an oversized answer, a broken connection, or hits with vectors; every other
/// search (the fetch, the pass-through) gets a fixed answer marked <c>took: 99</c>.
/// </summary>
public sealed class FakeUpstreamSearchTests : IAsyncLifetime
{
    private RecordingUpstream _upstream = null!;
    private SearchStack _stack = null!;
    private string _firstStage = "valid";
    private int _projectionDim;

    public async ValueTask InitializeAsync()
    {
        _upstream = await RecordingUpstream.StartAsync();
        _stack = await SearchStack.StartAsync(new SearchOptions { MaxUpstreamResponseBytes = 64 * 1024 }, _upstream.Url);
        _projectionDim = _stack.Scorer.ProjectionDim(_stack.ModelId)!.Value;
        _upstream.Respond = RespondAsync;
    }

    public async ValueTask DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task RespondAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-elastic-product"] = "Elasticsearch";
        var path = context.Request.Path.Value!;
        if (path.EndsWith("/_mapping", StringComparison.Ordinal))
        {
            var mapping = JsonNode.Parse(_stack.Mapping())!["mappings"]!.DeepClone();
            await context.Response.WriteAsync(new JsonObject { ["books"] = new JsonObject { ["mappings"] = mapping } }.ToJsonString());
            return;
        }

        var body = Encoding.UTF8.GetString(_upstream.Requests.Last().Body);
        if (!body.Contains("\"_source\":false", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(Answer(took: 99, withVectors: false));
            return;
        }

        switch (_firstStage)
        {
            case "garbage":
                await context.Response.WriteAsync("<html>this is not a search response</html>");
                break;
            case "large":
                await context.Response.WriteAsync("{\"took\":1,\"padding\":\"" + new string('x', 100 * 1024) + "\",\"hits\":{\"hits\":[]}}");
                break;
            case "abort":
                context.Abort();
                break;
            default:
                await context.Response.WriteAsync(Answer(took: 5, withVectors: true));
                break;
        }
    }

    /// <summary>Three hits; with vectors, each a float16 projection (bytes written here) stored by the loaded model.</summary>
    private string Answer(int took, bool withVectors)
    {
        var hits = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            var hit = new JsonObject { ["_index"] = "books", ["_id"] = $"d{i}", ["_score"] = 3.0 - i };
            if (withVectors)
            {
                var bytes = new byte[_projectionDim * 2];
                for (var k = 0; k < _projectionDim; k++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(k * 2), (Half)(((k * (i + 3)) % 7) - 3));
                }

                hit["fields"] = new JsonObject
                {
                    ["rerank.projection"] = new JsonArray(Convert.ToBase64String(bytes)),
                    ["rerank.model"] = new JsonArray(_stack.ModelId),
                };
            }
            else
            {
                hit["_source"] = new JsonObject { ["title"] = $"Title {i}" };
            }

            hits.Add(hit);
        }

        return new JsonObject
        {
            ["took"] = took,
            ["timed_out"] = false,
            ["hits"] = new JsonObject { ["total"] = new JsonObject { ["value"] = 3, ["relation"] = "eq" }, ["max_score"] = 3.0, ["hits"] = hits },
        }.ToJsonString();
    }

    private async Task<(JsonNode Answer, HttpResponseMessage Response)> SearchAsync()
    {
        var (status, answer, response) = await SearchStack.SendAsync(_stack.Sidecar, HttpMethod.Post, "/books/_search",
            """{"query":{"match":{"text":"river"}},"size":3}""",
            configure: request =>
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpzZWNyZXQ=");
                request.Headers.TryAddWithoutValidation("X-Opaque-Id", "trace-17");
                request.Headers.TryAddWithoutValidation("X-Custom", "kept as sent");
            });
        Assert.Equal(200, (int)status);
        return (answer!, response);
    }

    [Theory]
    [InlineData("garbage", "fallback:invalid_response")]
    [InlineData("large", "fallback:response_too_large")]
    [InlineData("abort", "fallback:upstream_error")]
    public async Task Search_BadFirstStage_ForwardsTheUsersRequest(string firstStage, string header)
    {
        _firstStage = firstStage;

        var (answer, response) = await SearchAsync();

        using (response)
        {
            Assert.Equal(header, SearchStack.Header(response, "X-Rerank"));
        }

        // The pass-through answer, as the cluster gave it.
        Assert.Equal(99, (int)answer["took"]!);
        Assert.Equal(["d0", "d1", "d2"], SearchStack.Ids(answer));
        var forwarded = _upstream.Requests.Last();
        Assert.Equal("/books/_search", forwarded.RawTarget);
        Assert.Equal("""{"query":{"match":{"text":"river"}},"size":3}""", Encoding.UTF8.GetString(forwarded.Body));
    }

    [Fact]
    public async Task Search_Reranked_CredentialsAndHeadersReachTheUpstreamUnchanged_AndItsProductHeaderComesBack()
    {
        var (answer, response) = await SearchAsync();

        using (response)
        {
            Assert.Equal("applied", SearchStack.Header(response, "X-Rerank"));
            Assert.Equal("Elasticsearch", SearchStack.Header(response, "X-elastic-product"));
        }

        Assert.Equal(5, (int)answer["took"]!);
        Assert.Equal(3, answer["hits"]!["hits"]!.AsArray().Count);
        var searches = _upstream.Requests.Where(r => r.RawTarget.StartsWith("/books/_search", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, searches.Count);
        foreach (var search in searches)
        {
            Assert.Equal("Basic dXNlcjpzZWNyZXQ=", search.Headers["Authorization"]);
            Assert.Equal("trace-17", search.Headers["X-Opaque-Id"]);
            Assert.Equal("kept as sent", search.Headers["X-Custom"]);
        }

        Assert.Equal("Basic dXNlcjpzZWNyZXQ=", _upstream.Requests.Single(r => r.RawTarget.Contains("_mapping", StringComparison.Ordinal)).Headers["Authorization"]);
    }
}
