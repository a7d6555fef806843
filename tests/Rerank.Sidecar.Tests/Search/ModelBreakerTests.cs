using Microsoft.Extensions.Time.Testing;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

public sealed class ModelBreakerTests
{
    private static readonly SearchOptions Options = new() { BreakerFailures = 3, BreakerOpenDuration = TimeSpan.FromSeconds(30) };

    [Fact]
    public void Failed_ThreeInARow_OpensForTheDuration_ThenAllowsOneTrial()
    {
        var time = new FakeTimeProvider();
        var breaker = new ModelBreaker(Options, time);

        Assert.False(breaker.Failed("m"));
        Assert.False(breaker.Failed("m"));
        Assert.True(breaker.Failed("m"));
        Assert.False(breaker.TryEnter("m"));
        Assert.True(breaker.TryEnter("other"));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryEnter("m"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter("m"));
        // One trial at a time while half open.
        Assert.False(breaker.TryEnter("m"));
    }

    [Fact]
    public void Succeeded_ResetsTheCount()
    {
        var breaker = new ModelBreaker(Options, new FakeTimeProvider());
        breaker.Failed("m");
        breaker.Failed("m");
        breaker.Succeeded("m");
        breaker.Failed("m");
        breaker.Failed("m");

        Assert.True(breaker.TryEnter("m"));
    }

    [Fact]
    public void Failed_DuringTheTrial_OpensAgain_SucceededClosesIt()
    {
        var time = new FakeTimeProvider();
        var breaker = new ModelBreaker(Options, time);
        for (var i = 0; i < 3; i++)
        {
            breaker.Failed("m");
        }

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter("m"));
        Assert.True(breaker.Failed("m"));
        Assert.False(breaker.TryEnter("m"));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter("m"));
        breaker.Succeeded("m");
        Assert.True(breaker.TryEnter("m"));
        Assert.True(breaker.TryEnter("m"));
    }

    [Fact]
    public void Abandoned_GivesTheTrialBack()
    {
        var time = new FakeTimeProvider();
        var breaker = new ModelBreaker(Options, time);
        for (var i = 0; i < 3; i++)
        {
            breaker.Failed("m");
        }

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter("m"));
        breaker.Abandoned("m");
        Assert.True(breaker.TryEnter("m"));
    }
}
