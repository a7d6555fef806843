using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rerank.Sidecar.Tests;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary><c>rerank serve</c> as a real child process (the built <c>rerank</c> executable), on the embedded engine by default.</summary>
public sealed partial class ServeCommandTests
{
    private static ProcessStartInfo Rerank(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rerank.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    [Fact]
    public async Task Serve_WithoutCluster_FrontsTheEmbeddedEngine_AndStopsCleanlyOnSigterm()
    {
        using var data = new TempDirectory();
        var cancellation = TestContext.Current.CancellationToken;
        using var process = Process.Start(Rerank("serve", "--data-dir", data.Path, "--urls", "http://127.0.0.1:0"))!;
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        try
        {
            var printed = new StringBuilder();
            Uri? url = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    printed.AppendLine(line);
                    var match = ListeningLine().Match(line);
                    url = match.Success ? new Uri(match.Groups[1].Value) : null;
                }
            }

            Assert.True(url is not null, $"no listening line; printed: {printed}");
            Assert.Matches(@"serve: embedded engine \(0 indices in .+\) on http://127\.0\.0\.1:\d+", printed.ToString());
            using (var client = new HttpClient { BaseAddress = url })
            {
                var root = JsonNode.Parse(await client.GetStringAsync("/", cancellation))!;
                Assert.Equal("rerank-embedded", (string)root["cluster_name"]!); // the embedded engine's cluster name
                using var created = await client.PutAsync("/books/_doc/1", new StringContent("{\"title\":\"Dune\"}", Encoding.UTF8, "application/json"), cancellation);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                using var health = await client.GetAsync("/_rerank/health", cancellation);
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellation);
            }

            var rest = await process.StandardOutput.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(30), cancellation);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("serve: stopping", rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await errors;
        }

        // The document is durable: the engine serves it again from the same data directory.
        using var again = Process.Start(Rerank("serve", "--data-dir", data.Path, "--urls", "http://127.0.0.1:0"))!;
        try
        {
            Uri? url = null;
            while (url is null && await again.StandardOutput.ReadLineAsync(cancellation) is { } line)
            {
                var match = ListeningLine().Match(line);
                url = match.Success ? new Uri(match.Groups[1].Value) : null;
            }

            using var client = new HttpClient { BaseAddress = url };
            var doc = JsonNode.Parse(await client.GetStringAsync("/books/_doc/1", cancellation))!;
            Assert.Equal("Dune", (string)doc["_source"]!["title"]!);
        }
        finally
        {
            again.Kill(entireProcessTree: true);
            await again.WaitForExitAsync(cancellation);
        }
    }

    [Fact]
    public async Task Serve_WithCluster_ForwardsThereWithoutStartingTheEngine()
    {
        await using var cluster = await RecordingUpstream.StartAsync();
        var cancellation = TestContext.Current.CancellationToken;
        using var process = Process.Start(Rerank("serve", "--cluster", cluster.Url.ToString(), "--urls", "http://127.0.0.1:0"))!;
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        try
        {
            var printed = new StringBuilder();
            Uri? url = null;
            while (url is null && await process.StandardOutput.ReadLineAsync(cancellation) is { } line)
            {
                printed.AppendLine(line);
                var match = ListeningLine().Match(line);
                url = match.Success ? new Uri(match.Groups[1].Value) : null;
            }

            Assert.True(url is not null, $"no listening line; printed: {printed}");
            Assert.DoesNotContain("embedded engine", printed.ToString(), StringComparison.Ordinal);
            Assert.Contains($"serve: forwarding to {cluster.Url.ToString().TrimEnd('/')}", printed.ToString(), StringComparison.Ordinal);
            using var client = new HttpClient { BaseAddress = url };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/books/_count?q=dune");
            request.Headers.TryAddWithoutValidation("Authorization", "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
            using var response = await client.SendAsync(request, cancellation);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var seen = Assert.Single(cluster.Requests);
            Assert.Equal("/books/_count?q=dune", seen.RawTarget);
            Assert.Equal("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==", seen.Headers["Authorization"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellation);
            await errors;
        }
    }

    [Theory]
    [InlineData("--cluster", "not a url", "error: --cluster: 'not a url' is not an http(s)://host:port URL.")]
    [InlineData("--urls", "https://127.0.0.1:9201", "error: --urls: 'https://127.0.0.1:9201' is not an address")]
    [InlineData("--models", "/no/such/models/dir", "error: --models: the directory '/no/such/models/dir' does not exist.")]
    [InlineData("--encode-batch", "0", "error: --encode-batch must be at least 1 (is 0).")]
    [InlineData("--encode-delay-ms", "-1", "error: --encode-delay-ms must be at least 0 (is -1).")]
    [InlineData("--encode-timeout-ms", "0", "error: --encode-timeout-ms must be at least 1 (is 0).")]
    public async Task Serve_BadOption_IsOneErrorLine_ExitCode1(string option, string value, string expected)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var process = Process.Start(Rerank("serve", option, value))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = await process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        await output;

        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^serve: listening on (http://\S+)$")]
    private static partial Regex ListeningLine();
}
