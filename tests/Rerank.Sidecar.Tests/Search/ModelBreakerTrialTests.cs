using Microsoft.Extensions.Time.Testing;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

/// <summary>Only the search that holds a half-open breaker's trial can give it back.</summary>
public sealed class ModelBreakerTrialTests
{
    private static readonly SearchOptions Options = new() { BreakerFailures = 1, BreakerOpenDuration = TimeSpan.FromSeconds(30) };

    [Fact]
    public void Abandoned_ByASearchThatEnteredWhileClosed_KeepsAnotherSearchsTrial()
    {
        var time = new FakeTimeProvider();
        var breaker = new ModelBreaker(Options, time);

        // A enters while the breaker is closed; then the model fails and the breaker opens.
        Assert.True(breaker.TryEnter("m", out var aIsTrial));
        Assert.False(aIsTrial);
        Assert.True(breaker.Failed("m"));
        time.Advance(TimeSpan.FromSeconds(30));

        // B takes the one trial; A's first stage fails and it gives back what it holds: nothing.
        Assert.True(breaker.TryEnter("m", out var bIsTrial));
        Assert.True(bIsTrial);
        breaker.Abandoned("m", aIsTrial);

        // Still one trial at a time.
        Assert.False(breaker.TryEnter("m", out _));
        breaker.Abandoned("m", bIsTrial);
        Assert.True(breaker.TryEnter("m", out var cIsTrial));
        Assert.True(cIsTrial);
    }
}
