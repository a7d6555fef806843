using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Rerank.Sidecar.FunctionalTests.Writes;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Admin;

/// <summary><c>rerank serve --admin-key</c> and <c>RERANK_ADMIN_KEY</c> on the real executable: which key wins, and the key never printed.</summary>
public sealed partial class ServeAdminKeyTests
{
    private const string Reload = "/_rerank/_admin/models/_reload";

    [Fact]
    public async Task Serve_OptionAndVariable_OptionWins_AndNeitherKeyIsPrinted()
    {
        var (status, printed) = await ServeAsync(["--admin-key", "option-key-123"], "variable-key-456", ["option-key-123", "variable-key-456"]);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], status);
        Assert.Contains("serve: admin endpoints on /_rerank/_admin/ (key from --admin-key)", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("option-key-123", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("variable-key-456", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_VariableOnly_TurnsTheEndpointsOn()
    {
        var (status, printed) = await ServeAsync([], "variable-key-456", ["variable-key-456", "other"]);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], status);
        Assert.Contains("serve: admin endpoints on /_rerank/_admin/ (key from RERANK_ADMIN_KEY)", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("variable-key-456", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NoKey_EndpointsOff403()
    {
        var (status, printed) = await ServeAsync([], variable: "", ["anything"]);

        Assert.Equal([HttpStatusCode.Forbidden], status);
        Assert.Contains("serve: admin endpoints off (no --admin-key or RERANK_ADMIN_KEY)", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_EmptyAdminKey_OneErrorLineExitOne()
    {
        var result = await InProcessCli.RunAsync("serve", "--admin-key", " ");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: --admin-key: the key must not be empty.", line.TrimEnd('\r'));
    }

    /// <summary>Starts <c>rerank serve</c> on the embedded engine, POSTs the reload with each key, stops it; returns the statuses and everything it printed.</summary>
    private static async Task<(HttpStatusCode[] Status, string Printed)> ServeAsync(string[] args, string variable, string[] keys)
    {
        using var data = new TempDirectory();
        var cancellation = TestContext.Current.CancellationToken;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rerank.dll"));
        foreach (var arg in (string[])["serve", "--data-dir", data.Path, "--urls", "http://127.0.0.1:0", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["RERANK_ADMIN_KEY"] = variable;
        using var process = Process.Start(info)!;
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
            var status = new List<HttpStatusCode>();
            using (var client = new HttpClient { BaseAddress = url })
            {
                foreach (var key in keys)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, Reload);
                    request.Headers.Add("X-Rerank-Admin-Key", key);
                    using var response = await client.SendAsync(request, cancellation);
                    status.Add(response.StatusCode);
                }
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellation);
            }

            printed.Append(await process.StandardOutput.ReadToEndAsync(cancellation));
            await process.WaitForExitAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(30), cancellation);
            printed.Append(await errors);
            return ([.. status], printed.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"^serve: listening on (http://\S+)$")]
    private static partial Regex ListeningLine();
}
