using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Engine;

public sealed class EngineCommandTests
{
    [Fact]
    public async Task KilledDuringWrites_RestartHasEveryAcknowledgedWrite()
    {
        using var data = new TempDirectory();
        var cancellation = TestContext.Current.CancellationToken;
        var acknowledged = new ConcurrentDictionary<string, (long Version, int Value)>();

        using (var engine = await EngineProcess.StartAsync(data.Path, cancellation))
        {
            using var client = new HttpClient { BaseAddress = engine.Url };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // Each writer rewrites a few ids, so versions climb, and bulk-writes fresh ones.
                    var id = $"w{writer}-{i % 25}";
                    try
                    {
                        using var content = new StringContent($"{{\"writer\":{writer},\"value\":{i}}}", Encoding.UTF8, "application/json");
                        using var response = await client.PutAsync($"/kill/_doc/{id}", content, CancellationToken.None);
                        if (response.IsSuccessStatusCode)
                        {
                            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!;
                            acknowledged[id] = ((long)body["_version"]!, i);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the engine is gone
                    }
                }
            })).ToList();

            // Let the writers get well under way, then pull the plug mid-write.
            while (acknowledged.Count < 60)
            {
                await Task.Delay(20, cancellation);
            }

            await Task.Delay(300, cancellation);
            engine.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.NotEmpty(acknowledged);
        using var restarted = await EngineProcess.StartAsync(data.Path, cancellation);
        using var check = new HttpClient { BaseAddress = restarted.Url };
        foreach (var (id, (version, value)) in acknowledged)
        {
            using var response = await check.GetAsync($"/kill/_doc/{id}", cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation))!;
            // The write that was in flight at the kill may have landed too: never anything older than acknowledged.
            Assert.True((long)body["_version"]! >= version, $"{id}: version {body["_version"]} < acknowledged {version}");
            Assert.True((int)body["_source"]!["value"]! >= value, $"{id}: value {body["_source"]!["value"]} < acknowledged {value}");
        }
    }

    [Fact]
    public async Task Sigterm_StopsCleanly_AndTheDataIsThereOnRestart()
    {
        using var data = new TempDirectory();
        var cancellation = TestContext.Current.CancellationToken;
        using (var engine = await EngineProcess.StartAsync(data.Path, cancellation))
        {
            using var client = new HttpClient { BaseAddress = engine.Url };
            using var content = new StringContent("{\"title\":\"Dune\"}", Encoding.UTF8, "application/json");
            (await client.PutAsync("/books/_doc/1", content, cancellation)).EnsureSuccessStatusCode();

            var (exitCode, output) = await engine.TerminateAsync(cancellation);

            Assert.Equal(0, exitCode);
            Assert.Contains("engine: stopping", output);
        }

        using var restarted = await EngineProcess.StartAsync(data.Path, cancellation);
        using var check = new HttpClient { BaseAddress = restarted.Url };
        using var got = await check.GetAsync("/books/_doc/1", cancellation);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
    }

    [Fact]
    public void DataDirIsAFile_IsOneErrorLineNamingIt()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("not-a-directory", "x");

        var result = CliRunner.Run("engine", "--data-dir", file, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --data-dir: {file} is a file, not a directory.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void AddressInUse_StartUpFailureIsOneErrorLineWithoutStackTrace()
    {
        using var temp = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = CliRunner.Run("engine", "--data-dir", temp.Path, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the engine did not start: ", line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_NamesTheOptions()
    {
        var result = CliRunner.Run("engine", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--data-dir", result.Output);
        Assert.Contains("--urls", result.Output);
    }
}
