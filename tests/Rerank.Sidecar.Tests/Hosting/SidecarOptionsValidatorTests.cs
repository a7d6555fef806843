using Microsoft.Extensions.Options;
using Rerank.Sidecar.Hosting;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.Tests.Hosting;

public sealed class SidecarOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200") };

        Assert.Equal(["http://127.0.0.1:9201"], options.Urls);
        Assert.Equal(TimeSpan.FromSeconds(30), options.IndexConfigTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ModelPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.UpstreamConnectTimeout);
        Assert.True(new SidecarOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void ThrowIfInvalid_BadSearchOptions_NamesEachOne()
    {
        var options = new SidecarOptions
        {
            Upstream = new Uri("http://127.0.0.1:9200"),
            Search = new Rerank.Sidecar.Search.SearchOptions
            {
                MaxSearchBodyBytes = 0,
                MaxUpstreamResponseBytes = -1,
                BreakerFailures = 0,
                BreakerOpenDuration = TimeSpan.Zero,
                SinglePhaseMaxWindow = -1,
                MaxConcurrentModelCalls = 0,
                AdminKey = " ",
            },
        };

        var exception = Assert.Throws<OptionsValidationException>(() => SidecarOptionsValidator.ThrowIfInvalid(options));

        Assert.Equal(
            [
                "Search.MaxSearchBodyBytes must be at least 1, got 0",
                "Search.MaxUpstreamResponseBytes must be at least 1, got -1",
                "Search.BreakerFailures must be at least 1, got 0",
                "Search.BreakerOpenDuration must be positive, got 00:00:00",
                "Search.SinglePhaseMaxWindow must be 0 or more, got -1",
                "Search.MaxConcurrentModelCalls must be at least 1, got 0",
                "Search.AdminKey must not be empty (null turns the admin endpoints off)",
            ],
            exception.Failures);
    }

    [Fact]
    public void ThrowIfInvalid_SeveralProblems_ReportsEveryOneAtOnce()
    {
        using var temp = new TempDirectory();
        var options = new SidecarOptions
        {
            Upstream = new Uri("ftp://cluster:2121"),
            Urls = ["https://127.0.0.1:9201", "http://127.0.0.1:70000"],
            ModelsDirectory = Path.Combine(temp.Path, "missing"),
            ModelPollInterval = TimeSpan.Zero,
            UpstreamConnectTimeout = TimeSpan.FromSeconds(-1),
            IndexConfigTtl = TimeSpan.FromSeconds(-5),
            MaxValidatedBodyBytes = 0,
        };

        var exception = Assert.Throws<OptionsValidationException>(() => SidecarOptionsValidator.ThrowIfInvalid(options));

        Assert.Equal(8, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.StartsWith("Upstream [ftp://cluster:2121/] is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Urls[0] [https://127.0.0.1:9201]: https is not supported", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Urls[1] [http://127.0.0.1:70000]", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ModelsDirectory [", StringComparison.Ordinal) && f.EndsWith("] does not exist", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ModelPollInterval must be positive", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("UpstreamConnectTimeout must be positive", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("IndexConfigTtl must be zero", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("MaxValidatedBodyBytes must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UpstreamWithCredentials_IsRefused()
    {
        var options = new SidecarOptions { Upstream = new Uri("http://elastic:secret@127.0.0.1:9200") };

        var result = new SidecarOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("must not carry credentials", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.FailureMessage, StringComparison.Ordinal);
    }
}
