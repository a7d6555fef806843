using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;
using Rerank.Sidecar.Search;
using Rerank.Sidecar.Tests;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Admin;

/// <summary>
/// <c>/_rerank/_admin/...</c> on a real sidecar: off without a key, 401 without the right one, a reload that serves a
/// new bundle at once, and the effective <c>_meta.rerank</c> of an index (docs/sidecar.md, "Admin").
/// </summary>
public sealed class AdminEndpointsTests : IAsyncLifetime
{
    private const string Key = "s3cret-admin-key";
    private const string HeaderName = "X-Rerank-Admin-Key";

    private readonly TempDirectory _models = new();
    private readonly FakeLogCollector _logs = new();
    private EngineUpstream _engine = null!;

    public async ValueTask InitializeAsync() => _engine = await EngineUpstream.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        _models.Dispose();
    }

    private Task<SidecarHost> StartAsync(string? adminKey, Uri? upstream = null)
    {
        var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(_logs)));
        return SidecarHost.StartAsync(
            new SidecarOptions
            {
                Upstream = upstream ?? _engine.Url,
                Urls = ["http://127.0.0.1:0"],
                ModelsDirectory = _models.Path,
                // No background reload during a test: only the admin endpoint rescans.
                ModelPollInterval = TimeSpan.FromHours(1),
                Search = new SearchOptions { AdminKey = adminKey },
            },
            loggerFactory,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> SendAsync(SidecarHost sidecar, HttpMethod method, string path, string? key, string? authorization = null)
    {
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderName, key);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text)!, response);
    }

    private static void AssertError(JsonNode body, int status, string type, string reason)
    {
        Assert.Equal(status, (int)body["status"]!);
        Assert.Equal(type, (string)body["error"]!["type"]!);
        Assert.Equal(reason, (string)body["error"]!["reason"]!);
        var cause = Assert.Single(body["error"]!["root_cause"]!.AsArray())!;
        Assert.Equal(type, (string)cause["type"]!);
        Assert.Equal(reason, (string)cause["reason"]!);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("POST", "/_rerank/_admin/models/_reload")]
    [InlineData("GET", "/_rerank/_admin/config/books")]
    public async Task Admin_NoKeyConfigured_Is403SecurityException_SayingHowToTurnThemOn(string method, string path)
    {
        await using var sidecar = await StartAsync(adminKey: null);

        var (status, body, response) = await SendAsync(sidecar, new HttpMethod(method), path, key: "anything");
        response.Dispose();

        Assert.Equal(HttpStatusCode.Forbidden, status);
        AssertError(body, 403, "security_exception",
            "the admin endpoints are off: start the sidecar with an admin key (rerank serve --admin-key <key> or the environment variable RERANK_ADMIN_KEY) to turn them on");
    }

    [Theory]
    [InlineData(null, "missing admin key (header [X-Rerank-Admin-Key]) for REST request [/_rerank/_admin/models/_reload]")]
    [InlineData("wrong", "unable to authenticate with the admin key (header [X-Rerank-Admin-Key]) for REST request [/_rerank/_admin/models/_reload]")]
    [InlineData("s3cret-admin-ke", "unable to authenticate with the admin key (header [X-Rerank-Admin-Key]) for REST request [/_rerank/_admin/models/_reload]")]
    [InlineData("s3cret-admin-keyy", "unable to authenticate with the admin key (header [X-Rerank-Admin-Key]) for REST request [/_rerank/_admin/models/_reload]")]
    [InlineData("S3CRET-ADMIN-KEY", "unable to authenticate with the admin key (header [X-Rerank-Admin-Key]) for REST request [/_rerank/_admin/models/_reload]")]
    public async Task Reload_MissingOrWrongKey_Is401SecurityException_AndNothingIsReloaded(string? key, string reason)
    {
        await using var sidecar = await StartAsync(Key);
        TinyBundles.Write(Path.Combine(_models.Path, "late"), seed: 3);

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Post, "/_rerank/_admin/models/_reload", key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertError(body, 401, "security_exception", reason);
        Assert.Equal("X-Rerank-Admin-Key realm=\"rerank-admin\"", response.Headers.WwwAuthenticate.ToString());
        response.Dispose();
        Assert.Empty(sidecar.Services.GetRequiredService<ModelRegistry>().Status);
    }

    [Fact]
    public async Task Admin_KeyGivenTwice_Is401()
    {
        await using var sidecar = await StartAsync(Key);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_rerank/_admin/models/_reload");
        request.Headers.TryAddWithoutValidation(HeaderName, [Key, Key]);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Admin_RefusedRequests_AreNeverForwarded_AndTheKeyIsNeverLogged()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var sidecar = await StartAsync(Key, upstream.Url);

        (await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", key: null)).Response.Dispose();
        (await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", key: "guess-" + Key)).Response.Dispose();
        (await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/nothing/here", Key)).Response.Dispose();

        Assert.Empty(upstream.Requests);
        var refusals = _logs.GetSnapshot().Where(r => r.Id.Id == 3801).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Message.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_BundleAddedAfterStart_IsServedAtOnce_AndListedLikeHealth()
    {
        var first = TinyBundles.Write(Path.Combine(_models.Path, "a"), seed: 1);
        await using var sidecar = await StartAsync(Key);
        var second = TinyBundles.Write(Path.Combine(_models.Path, "b"), seed: 2);
        _models.WriteFile(Path.Combine("broken", "manifest.json"), "not json");
        var registry = sidecar.Services.GetRequiredService<ModelRegistry>();
        Assert.Null(registry.Find(second));

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Post, "/_rerank/_admin/models/_reload", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)body["acknowledged"]!);
        var models = body["models"]!.AsArray();
        Assert.Equal(
            [(Path.Combine(_models.Path, "a"), first, true), (Path.Combine(_models.Path, "b"), second, true), (Path.Combine(_models.Path, "broken"), null, false)],
            models.Select(m => ((string)m!["directory"]!, (string?)m["model_id"], (bool)m["loaded"]!)).ToArray());
        Assert.False(string.IsNullOrEmpty((string?)models[2]!["error"]));
        Assert.Null(models[0]!["error"]);
        Assert.NotNull(registry.Find(second));

        // Health sees the same directories.
        var (_, health, healthResponse) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/health", key: null);
        healthResponse.Dispose();
        Assert.Equal(models.ToJsonString(), health["models"]!.ToJsonString());
    }

    [Fact]
    public async Task Reload_BundleRemoved_IsUnloaded()
    {
        var id = TinyBundles.Write(Path.Combine(_models.Path, "a"), seed: 1);
        await using var sidecar = await StartAsync(Key);
        Directory.Delete(Path.Combine(_models.Path, "a"), recursive: true);

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Post, "/_rerank/_admin/models/_reload", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body["models"]!.AsArray());
        Assert.Null(sidecar.Services.GetRequiredService<ModelRegistry>().Find(id));
    }

    [Theory]
    [InlineData("GET", "/_rerank/_admin/models/_reload", "POST")]
    [InlineData("PUT", "/_rerank/_admin/models/_reload", "POST")]
    [InlineData("POST", "/_rerank/_admin/config/books", "GET")]
    [InlineData("DELETE", "/_rerank/_admin/config/books", "GET")]
    public async Task Admin_WrongMethod_Is405AsElasticsearchAnswersIt(string method, string path, string allowed)
    {
        await using var sidecar = await StartAsync(Key);

        var (status, body, response) = await SendAsync(sidecar, new HttpMethod(method), path, Key);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal($"Incorrect HTTP method for uri [{path}] and method [{method}], allowed: [{allowed}]", (string)body["error"]!);
        Assert.Equal(405, (int)body["status"]!);
        Assert.Equal(allowed, response.Content.Headers.Allow.Single());
        response.Dispose();
    }

    [Theory]
    [InlineData("/_rerank/_admin")]
    [InlineData("/_rerank/_admin/config/")]
    [InlineData("/_rerank/_admin/config/a/b")]
    [InlineData("/_rerank/_admin/models")]
    public async Task Admin_UnknownPath_Is400NoHandlerFound(string path)
    {
        await using var sidecar = await StartAsync(Key);

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, path, Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"no handler found for uri [{path}] and method [GET]", (string)body["error"]!);
        Assert.Equal(400, (int)body["status"]!);
    }

    [Fact]
    public async Task Config_EnabledIndex_EveryKeyWithItsDocumentedDefault()
    {
        await using var sidecar = await StartAsync(Key);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        using var created = await client.PutAsync("/books", Json("""{"mappings":{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title","text"],"window":50}}}}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("books", (string)body["index"]!);
        // The defaults of docs/index-config.md and docs/search.md, written by hand.
        var expected = JsonNode.Parse("""
            {"version":1,"enabled":true,"model":"m1","text_fields":["title","text"],"separator":" ",
             "projection_encoding":"float16",
             "fields":{"projection":"rerank.projection","model":"rerank.model","text_hash":"rerank.text_hash","stale":"rerank.stale"},
             "window":50,"max_window":1000,"budget_ms":200,"score_mode":"linear","linear_weight":0.5,"rrf_k":60,"max_missing_fraction":0.5}
            """)!;
        Assert.True(JsonNode.DeepEquals(expected, body["rerank"]), body["rerank"]!.ToJsonString());
    }

    [Fact]
    public async Task Config_Alias_ResolvesToItsIndexConfig()
    {
        await using var sidecar = await StartAsync(Key);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var cancellation = TestContext.Current.CancellationToken;
        (await client.PutAsync("/books-1", Json("""{"mappings":{"_meta":{"rerank":{"version":1,"model":"m2","text_fields":["title"],"score_mode":"rrf","rrf_k":10}}}}"""), cancellation)).EnsureSuccessStatusCode();
        (await client.PostAsync("/_aliases", Json("""{"actions":[{"add":{"index":"books-1","alias":"books"}}]}"""), cancellation)).EnsureSuccessStatusCode();

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("m2", (string)body["rerank"]!["model"]!);
        Assert.Equal("rrf", (string)body["rerank"]!["score_mode"]!);
        Assert.Equal(10, (int)body["rerank"]!["rrf_k"]!);
    }

    [Theory]
    [InlineData("""{"mappings":{"_meta":{"rerank":{"version":1,"enabled":false,"model":"m1","text_fields":["title"]}}}}""")]
    [InlineData("""{"mappings":{"properties":{"title":{"type":"text"}}}}""")]
    [InlineData(null)]
    public async Task Config_NotEnabledOrMissingIndex_Is404(string? indexBody)
    {
        await using var sidecar = await StartAsync(Key);
        if (indexBody is not null)
        {
            using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
            (await client.PutAsync("/books", Json(indexBody), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, 404, "resource_not_found_exception",
            "no enabled [_meta.rerank] for [books]: the index does not exist, has no [_meta.rerank] or has [enabled: false], or its mapping could not be read");
    }

    [Fact]
    public async Task Config_InvalidMetaWrittenStraightToTheCluster_Is400NamingTheProblem()
    {
        await using var sidecar = await StartAsync(Key);
        // Straight to the engine: the sidecar would refuse this mapping at the door.
        (await _engine.Client.PutAsync("/books", Json("""{"mappings":{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title"],"window":0}}}}"""), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", Key);
        response.Dispose();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, 400, "illegal_argument_exception",
            "invalid [_meta.rerank] of index [books]: [_meta.rerank.window] must be an integer from 1 to 1000, got [0]");
    }

    [Fact]
    public async Task Config_CallersAuthorization_ReachesTheClusterAndTheAdminKeyDoesNot()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.Respond = context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"books":{"mappings":{"_meta":{"rerank":{"version":1,"model":"m9","text_fields":["t"]}}}}}""");
        };
        await using var sidecar = await StartAsync(Key, upstream.Url);
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:changeme"));

        var (status, body, response) = await SendAsync(sidecar, HttpMethod.Get, "/_rerank/_admin/config/books", Key, basic);
        response.Dispose();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("m9", (string)body["rerank"]!["model"]!);
        var lookup = Assert.Single(upstream.Requests);
        Assert.Equal("GET", lookup.Method);
        Assert.Equal("/books/_mapping", lookup.RawTarget);
        Assert.Equal(basic, lookup.Headers["Authorization"]);
        Assert.False(lookup.Headers.ContainsKey(HeaderName));
    }
}
