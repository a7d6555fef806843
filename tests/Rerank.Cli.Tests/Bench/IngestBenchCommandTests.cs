using System.Text.Json.Nodes;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Bench;

/// <summary><c>rerank bench ingest</c>: its arguments, and a real run (engine, sidecar, tiny model) on a seven-document folder.</summary>
public sealed class IngestBenchCommandTests : IDisposable
{
    private static readonly string[] SmallShape = ["--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8"];

    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public IngestBenchCommandTests()
    {
        var builder = new BeirFolderBuilder();
        builder.Document("d1", "Aspirin", "Aspirin lowers the risk of heart attack.")
            .Document("d2", "", "A document without a title.")
            .Document("d3", "Only a title", "")
            .Document("d4", "Vitamin D", "Vitamin D deficiency and bone density in older adults.")
            .Document("d5", "Sleep", "Short sleep and insulin resistance: a randomised trial.")
            .Document("d6", "Unicode", "Café, naïve, Straße and 東京 in one passage.")
            .Document("d7", "Long", string.Join(' ', Enumerable.Repeat("protein folding", 200)))
            .Query("q1", "aspirin heart")
            .Judgment("q1", "d1", 1);
        _data = builder.WriteTo(Path.Combine(_temp.Path, "tiny"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--rounds", "0", "--rounds must be at least 1")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--clients", "0", "--clients must be at least 1")]
    [InlineData("--grid", "16,64", "--grid: '16,64' is not <batch sizes>x<delays in ms>")]
    [InlineData("--grid", "16x-1", "--grid: '16x-1' is not")]
    [InlineData("--grid", "0x5", "--grid: '0x5' is not")]
    [InlineData("--grid", "16x5x7", "--grid: '16x5x7' is not")]
    [InlineData("--grid", "ax5", "--grid: 'ax5' is not")]
    public void Invoke_BadOption_OneErrorLineExitOne(string option, string value, string expected)
    {
        var result = CliRunner.Run("bench", "ingest", "--data", _data, option, value);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + expected, line.TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_MissingDataFolder_OneErrorLineExitOne()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");

        var result = CliRunner.Run("bench", "ingest", "--data", missing);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: --data: the directory '{missing}' does not exist.", line.TrimEnd('\r'));
    }

    [Fact]
    public void Invoke_MissingModelFolder_OneErrorLineExitOne()
    {
        var missing = Path.Combine(_temp.Path, "no-model");

        var result = CliRunner.Run("bench", "ingest", "--data", _data, "--model", missing);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: --model: the directory '{missing}' does not exist.", line.TrimEnd('\r'));
    }

    [Fact]
    public void Invoke_FolderWithoutCorpus_OneErrorLineExitOne()
    {
        var empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);

        var result = CliRunner.Run("bench", "ingest", "--data", empty, "--grid", "none");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: '{empty}' is not a BEIR folder: corpus.jsonl is missing.", line.TrimEnd('\r'));
    }

    [Fact]
    public void Invoke_GivenBundleAndGrid_JsonHasEveryPassOverTheWholeCorpus()
    {
        var bundle = Path.Combine(_temp.Path, "bundle");
        var init = CliRunner.Run(["model", "init", "--out", bundle, .. SmallShape]);
        Assert.True(init.ExitCode == 0, init.Error);
        var modelId = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")))!["modelId"]!.GetValue<string>();
        var file = Path.Combine(_temp.Path, "figures.json");

        // Bulks of 3 from 2 clients: 7 documents make 3 bulks (3, 3, 1), so the clients overlap and the last bulk is short.
        var result = CliRunner.Run("bench", "ingest", "--data", _data, "--model", bundle, "--rounds", "2", "--batch", "3", "--clients", "2", "--grid", "8,32x0,2", "--json", file);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("tiny: 7 documents, bulks of 3 from 2 clients, model " + modelId, result.Output, StringComparison.Ordinal);
        Assert.Contains("stale documents over every sidecar pass: 0; every sidecar-indexed document current: yes", result.Output, StringComparison.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        Assert.Equal(
            ["dataset", "documents", "model_id", "batch", "clients", "processors", "load_average_before", "direct_docs_per_second", "sidecar_docs_per_second",
             "sidecar_to_direct", "stale_documents", "all_current", "rounds", "grid", "best"],
            json.Select(p => p.Key).ToArray());
        Assert.Equal("tiny", json["dataset"]!.GetValue<string>());
        Assert.Equal(7, json["documents"]!.GetValue<int>());
        Assert.Equal(modelId, json["model_id"]!.GetValue<string>());
        Assert.Equal(3, json["batch"]!.GetValue<int>());
        Assert.Equal(2, json["clients"]!.GetValue<int>());
        Assert.Equal(0, json["stale_documents"]!.GetValue<long>());
        Assert.True(json["all_current"]!.GetValue<bool>());

        var rounds = json["rounds"]!.AsArray();
        Assert.Equal(2, rounds.Count);
        foreach (var round in rounds)
        {
            // The rounds run at the sidecar's defaults (docs/write-path.md: MaxBatch 64, MaxDelay 5 ms).
            Assert.Equal(64, round!["max_batch"]!.GetValue<int>());
            Assert.Equal(5.0, round["max_delay_ms"]!.GetValue<double>());
            AssertPass(round.AsObject());
        }

        // Documents over total time: the harmonic mean of the rounds' rates.
        var direct = rounds.Select(r => r!["direct_docs_per_second"]!.GetValue<double>()).ToList();
        var sidecar = rounds.Select(r => r!["sidecar_docs_per_second"]!.GetValue<double>()).ToList();
        Assert.Equal(2 / ((1 / direct[0]) + (1 / direct[1])), json["direct_docs_per_second"]!.GetValue<double>(), 6);
        Assert.Equal(2 / ((1 / sidecar[0]) + (1 / sidecar[1])), json["sidecar_docs_per_second"]!.GetValue<double>(), 6);
        Assert.Equal(json["sidecar_docs_per_second"]!.GetValue<double>() / json["direct_docs_per_second"]!.GetValue<double>(), json["sidecar_to_direct"]!.GetValue<double>(), 9);

        var grid = json["grid"]!.AsArray();
        Assert.Equal(
            [(8, 0.0), (8, 2.0), (32, 0.0), (32, 2.0)],
            grid.Select(c => (c!["max_batch"]!.GetValue<int>(), c["max_delay_ms"]!.GetValue<double>())).ToArray());
        foreach (var cell in grid)
        {
            AssertPass(cell!.AsObject());
        }

        var best = grid.MaxBy(c => c!["sidecar_docs_per_second"]!.GetValue<double>() / c["direct_docs_per_second"]!.GetValue<double>())!;
        Assert.Equal(best["max_batch"]!.GetValue<int>(), json["best"]!["max_batch"]!.GetValue<int>());
        Assert.Equal(best["max_delay_ms"]!.GetValue<double>(), json["best"]!["max_delay_ms"]!.GetValue<double>());
    }

    [Fact]
    public void Invoke_DefaultBundleNoGrid_OneRoundAndNoBest()
    {
        var file = Path.Combine(_temp.Path, "figures.json");

        var result = CliRunner.Run("bench", "ingest", "--data", _data, "--rounds", "1", "--grid", "none", "--json", file);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        Assert.Equal(7, json["documents"]!.GetValue<int>());
        AssertPass(Assert.Single(json["rounds"]!.AsArray())!.AsObject());
        Assert.Empty(json["grid"]!.AsArray());
        Assert.Null(json["best"]);
        Assert.DoesNotContain("best:", result.Output, StringComparison.Ordinal);
    }

    private static void AssertPass(JsonObject pass)
    {
        Assert.Equal(7, pass["direct_documents"]!.GetValue<long>());
        Assert.True(pass["direct_docs_per_second"]!.GetValue<double>() > 0);
        Assert.True(pass["sidecar_docs_per_second"]!.GetValue<double>() > 0);
        Assert.Equal(pass["sidecar_docs_per_second"]!.GetValue<double>() / pass["direct_docs_per_second"]!.GetValue<double>(), pass["sidecar_to_direct"]!.GetValue<double>(), 9);
        var status = pass["sidecar_status"]!.AsObject();
        Assert.Equal(["documents", "current", "missing", "stale", "other_model"], status.Select(p => p.Key).ToArray());
        Assert.Equal(7, status["documents"]!.GetValue<long>());
        Assert.Equal(7, status["current"]!.GetValue<long>());
        Assert.Equal(0, status["missing"]!.GetValue<long>());
        Assert.Equal(0, status["stale"]!.GetValue<long>());
        Assert.Equal(0, status["other_model"]!.GetValue<long>());
        Assert.Empty(pass["sidecar_stale_reasons"]!.AsObject());
    }
}
