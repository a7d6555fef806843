using Microsoft.Extensions.Time.Testing;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.PointInTime;

/// <summary>The point-in-time registry on a fake clock: expiry, keep-alive extension, limits and reader release.</summary>
public sealed class PointInTimeRegistryTests
{
    private static readonly IReadOnlyList<SearchTarget> NoTargets = [];

    [Fact]
    public void Acquire_AfterKeepAliveRunsOut_IsSearchContextMissing404()
    {
        var time = new FakeTimeProvider();
        using var registry = new PointInTimeRegistry(time);
        var id = registry.Open(NoTargets, [], TimeSpan.FromMinutes(1));
        registry.Acquire(id, null).Dispose();

        time.Advance(TimeSpan.FromMinutes(1));

        var error = Assert.Throws<EngineException>(() => registry.Acquire(id, null));
        // The first context of a registry is number 1; Elasticsearch names the context number in the reason.
        Assert.Equal((404, "search_phase_execution_exception", "all shards failed"), (error.Status, error.Type, error.Reason));
        Assert.Equal(("search_context_missing_exception", "No search context found for id [1]"), (error.RootCause!.Type, error.RootCause.Reason));
        Assert.Equal(404, error.RootCause.Status);
    }

    [Fact]
    public void Acquire_WithKeepAlive_ExtendsTheExpiryFromNow()
    {
        var time = new FakeTimeProvider();
        using var registry = new PointInTimeRegistry(time);
        var id = registry.Open(NoTargets, [], TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromSeconds(50));
        registry.Acquire(id, TimeSpan.FromMinutes(5)).Dispose();
        time.Advance(TimeSpan.FromMinutes(4));

        // 4m50s after opening with 1m: alive only because the search extended it to 50s + 5m.
        registry.Acquire(id, null).Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Throws<EngineException>(() => registry.Acquire(id, null));
    }

    [Fact]
    public void Close_ReleasesTheReaders_OnceNoSearchUsesThem()
    {
        using var registry = new PointInTimeRegistry(new FakeTimeProvider());
        var reader = new CountingRelease();
        var id = registry.Open(NoTargets, [reader], TimeSpan.FromMinutes(1));
        var search = registry.Acquire(id, null);

        Assert.Equal(1, registry.Close(id));
        Assert.Equal(0, reader.Count);
        search.Dispose();
        search.Dispose();

        Assert.Equal(1, reader.Count);
        Assert.Equal(0, registry.Close(id));
    }

    [Fact]
    public void Expiry_ReleasesTheReaders_WithoutAnyRequest()
    {
        var time = new FakeTimeProvider();
        using var registry = new PointInTimeRegistry(time);
        var reader = new CountingRelease();
        registry.Open(NoTargets, [reader], TimeSpan.FromSeconds(30));

        // The sweep timer runs every minute on the registry's clock.
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, reader.Count);
    }

    [Fact]
    public void Open_OverTheLimit_IsTooManyScrollContexts429_AndReleasesItsReaders()
    {
        using var registry = new PointInTimeRegistry(new FakeTimeProvider(), maxOpen: 2);
        registry.Open(NoTargets, [], TimeSpan.FromMinutes(1));
        registry.Open(NoTargets, [], TimeSpan.FromMinutes(1));
        var reader = new CountingRelease();

        var error = Assert.Throws<EngineException>(() => registry.Open(NoTargets, [reader], TimeSpan.FromMinutes(1)));

        Assert.Equal(
            (429, "too_many_scroll_contexts_exception",
             "Trying to create too many scroll contexts. Must be less than or equal to: [2]. This limit can be set by changing the [search.max_open_scroll_context] setting."),
            (error.Status, error.Type, error.Reason));
        Assert.Equal(1, reader.Count);
    }

    [Fact]
    public void Open_AfterOthersExpired_HasRoomAgain()
    {
        var time = new FakeTimeProvider();
        using var registry = new PointInTimeRegistry(time, maxOpen: 1);
        registry.Open(NoTargets, [], TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10));

        registry.Open(NoTargets, [], TimeSpan.FromSeconds(10));

        Assert.Equal(1, registry.OpenCount);
    }

    [Theory]
    [InlineData(48, "Keep alive for request (2d) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.")]
    [InlineData(36, "Keep alive for request (1.5d) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.")]
    public void Open_KeepAliveOverTheMaximum_IsRefusedWithElasticsearchsMessage(int hours, string reason)
    {
        using var registry = new PointInTimeRegistry(new FakeTimeProvider());

        var error = Assert.Throws<EngineException>(() => registry.Open(NoTargets, [], TimeSpan.FromHours(hours)));

        Assert.Equal((400, "illegal_argument_exception", reason), (error.Status, error.Type, error.Reason));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Acquire_IdThatDoesNotDecode_IsInvalidId400(string id)
    {
        using var registry = new PointInTimeRegistry(new FakeTimeProvider());

        var error = Assert.Throws<EngineException>(() => registry.Acquire(id, null));

        Assert.Equal((400, "illegal_argument_exception", $"invalid id: [{id}]"), (error.Status, error.Type, error.Reason));
    }

    [Fact]
    public void Acquire_IdWithAnotherSecret_IsMissing()
    {
        using var registry = new PointInTimeRegistry(new FakeTimeProvider());
        var id = registry.Open(NoTargets, [], TimeSpan.FromMinutes(1));
        Assert.True(PointInTimeId.TryParse(id, out var parsed));
        var forged = (parsed with { Secret = parsed.Secret + 1 }).ToString();

        var error = Assert.Throws<EngineException>(() => registry.Acquire(forged, null));

        Assert.Equal("search_context_missing_exception", error.RootCause!.Type);
    }

    [Theory]
    [InlineData(24 * 60 * 60, "1d")]
    [InlineData(36 * 60 * 60, "1.5d")]
    [InlineData(90, "1.5m")]
    [InlineData(2, "2s")]
    public void TimeValueText_WritesJavaTimeValueToString(int seconds, string expected) =>
        Assert.Equal(expected, PointInTimeErrors.TimeValueText(TimeSpan.FromSeconds(seconds)));

    private sealed class CountingRelease : IDisposable
    {
        public int Count { get; private set; }

        public void Dispose() => Count++;
    }
}
