using Microsoft.Extensions.Options;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary><see cref="EngineHost.StartAsync"/> checks its options first and reports every problem at once.</summary>
public sealed class EngineHostOptionsValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StartAsync_ManyProblems_OneExceptionListingEveryOneAndNothingStarted()
    {
        var options = new EngineHostOptions
        {
            DataDirectory = "",
            Urls = ["localhost:9200", "ftp://127.0.0.1:21", "https://127.0.0.1:9443", "http://127.0.0.1:0/engine", "http://127.0.0.1:70000"],
            MaxContentLength = 0,
            NodeName = " ",
            Engine = new EngineOptions { DefaultRefreshInterval = TimeSpan.FromSeconds(-5) },
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "DataDirectory is required",
                "Urls[0] [localhost:9200] is not an absolute http URL such as http://127.0.0.1:9200",
                "Urls[1] [ftp://127.0.0.1:21] is not an absolute http URL such as http://127.0.0.1:9200",
                "Urls[2] [https://127.0.0.1:9443]: https is not supported by the embedded engine (it has no certificate): use http, behind a TLS proxy if needed",
                "Urls[3] [http://127.0.0.1:0/engine] has a path: the engine answers at the root of its address",
                "Urls[4] [http://127.0.0.1:70000] has port [70000], but a port is 0 to 65535 (0 picks a free one)",
                "MaxContentLength must be at least 1 byte, was [0]",
                "NodeName must not be empty",
                "Engine.DefaultRefreshInterval must be zero or positive (zero or Timeout.InfiniteTimeSpan turns the schedule off), was [-00:00:05]",
            ],
            error.Failures);
        Assert.Equal(string.Join("; ", error.Failures), error.Message); // one line, problems separated by "; "
        Assert.DoesNotContain(error.Failures, failure => failure.Contains("; ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_OnlyAUrlIsBad_DataDirectoryNotCreated()
    {
        var data = Path.Combine(_temp.Path, "never-created");
        var options = new EngineHostOptions { DataDirectory = data, Urls = ["127.0.0.1:9200"] };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["Urls[0] [127.0.0.1:9200] is not an absolute http URL such as http://127.0.0.1:9200"], error.Failures);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task StartAsync_NoUrls_Refused()
    {
        var options = new EngineHostOptions { DataDirectory = _temp.Path, Urls = [], MaxContentLength = -1 };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["Urls must name at least one URL to listen on", "MaxContentLength must be at least 1 byte, was [-1]"], error.Failures);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9200")]
    [InlineData("http://localhost:0")]
    [InlineData("http://*:9200")]
    [InlineData("http://+:9200")]
    [InlineData("http://0.0.0.0:9200/")]
    [InlineData("http://[::1]:9200")]
    [InlineData("HTTP://127.0.0.1:9200")]
    public void Validate_UrlsKestrelBinds_Accepted(string url)
    {
        var result = new EngineHostOptionsValidator().Validate(null, new EngineHostOptions { DataDirectory = _temp.Path, Urls = [url] });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)] // Timeout.InfiniteTimeSpan: no schedule
    [InlineData(500)]
    public void Validate_RefreshIntervalOffOrPositive_Accepted(int milliseconds)
    {
        var options = new EngineHostOptions
        {
            DataDirectory = _temp.Path,
            Engine = new EngineOptions { DefaultRefreshInterval = TimeSpan.FromMilliseconds(milliseconds) },
        };

        Assert.True(new EngineHostOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task StartAsync_ValidOptions_Starts()
    {
        await using var host = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = _temp.Path, Urls = ["http://127.0.0.1:0"] },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(host.Urls);
    }
}
