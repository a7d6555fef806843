using System.Globalization;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary><c>GET /</c>: what clients read first must parse, and must not reveal the host.</summary>
public sealed class ClusterInfoContractTests
{
    [Fact]
    public async Task Info_BuildDate_IsAnIso8601Timestamp()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.GetAsync("/");

        var text = (string)response.Json["version"]!["build_date"]!;
        // The .NET client reads it as a DateTimeOffset; round-trip ISO 8601 with a UTC designator.
        Assert.True(DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date), text);
        Assert.Equal(2024, date.Year);
    }

    [Fact]
    public async Task Info_NodeName_IsStableForTheDataDirectory_AndNotTheHostName()
    {
        using var directory = new TempDirectory();
        string first, second, other;
        await using (var engine = await EngineServer.StartAsync(directory))
        {
            first = (string)(await engine.GetAsync("/")).Json["name"]!;
        }

        await using (var engine = await EngineServer.StartAsync(directory))
        {
            second = (string)(await engine.GetAsync("/")).Json["name"]!;
        }

        await using (var engine = await EngineServer.StartAsync())
        {
            other = (string)(await engine.GetAsync("/")).Json["name"]!;
        }

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Matches("^rerank-[0-9a-f]{8}$", first);
        Assert.DoesNotContain(Environment.MachineName, first, StringComparison.OrdinalIgnoreCase);
    }
}
