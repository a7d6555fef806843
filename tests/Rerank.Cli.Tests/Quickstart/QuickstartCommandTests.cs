using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Quickstart;

/// <summary>
/// <c>rerank quickstart</c> end to end: a real bundle, the embedded engine and the sidecar on loopback, the collection
/// indexed through the sidecar, and a check search that must come back reranked (docs/cli.md).
/// </summary>
public sealed partial class QuickstartCommandTests
{
    [Fact]
    public void Quickstart_Collection_IndexesThroughTheSidecarAndTheCheckSearchIsReranked()
    {
        using var temp = new TempDirectory();
        var data = Collection(temp.Path);
        var work = Path.Combine(temp.Path, "work");

        var first = CliRunner.Run("quickstart", "--data", data, "--work-dir", work, "--urls", "http://127.0.0.1:0", "--exit");

        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.Contains("quickstart: collection [tiny-collection], 6 documents", first.Output);
        Assert.Contains("quickstart: [tiny-collection] holds 6 documents, 6 with current vectors", first.Output);
        Assert.Contains("quickstart: search [glacier ice melting]: X-Rerank: applied", first.Output);

        // The printed curl asks the same index for the same query, with explain.
        var curl = CurlLine().Match(first.Output);
        Assert.True(curl.Success, first.Output);
        Assert.EndsWith("/tiny-collection/_search", curl.Groups["url"].Value);
        var body = JsonNode.Parse(curl.Groups["body"].Value)!;
        Assert.Equal("glacier ice melting", body["query"]!["multi_match"]!["query"]!.GetValue<string>());
        Assert.True(body["ext"]!["rerank"]!["explain"]!.GetValue<bool>());

        // A second start finds the bundle and the index as it left them.
        var second = CliRunner.Run("quickstart", "--data", data, "--work-dir", work, "--urls", "http://127.0.0.1:0", "--exit");

        Assert.True(second.ExitCode == 0, second.Error + second.Output);
        Assert.DoesNotContain("building the starter model", second.Output);
        Assert.Contains("quickstart: index [tiny-collection] already holds the collection with this model's vectors", second.Output);
        Assert.Contains("X-Rerank: applied", second.Output);
    }

    [Fact]
    public void Quickstart_NotACollection_IsOneErrorLine()
    {
        using var temp = new TempDirectory();

        var result = CliRunner.Run("quickstart", "--data", temp.Path, "--work-dir", Path.Combine(temp.Path, "work"), "--urls", "http://127.0.0.1:0", "--exit");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: quickstart failed: {temp.Path} is not a BEIR collection: it needs corpus.jsonl and queries.jsonl", result.Error.Trim());
    }

    private static string Collection(string root) =>
        new BeirFolderBuilder()
            .Document("d1", "Glaciers", "Glacier ice is melting faster as summers warm.")
            .Document("d2", "Sea level", "Melting ice sheets raise the sea level.")
            .Document("d3", "Bread", "Sourdough rises with wild yeast.")
            .Document("d4", "Ice cores", "Ice cores record the climate of past millennia.")
            .Document("d5", "Rivers", "Glacier melt feeds rivers in the dry season.")
            .Document("d6", "Tides", "The moon pulls the oceans into tides.")
            .Query("q1", "glacier ice melting")
            .Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(root, "tiny-collection"));

    [GeneratedRegex(@"curl -si (?<url>\S+) -H 'Content-Type: application/json' -d '(?<body>[^']*)'")]
    private static partial Regex CurlLine();
}
