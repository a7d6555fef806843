using System.Text;
using System.Text.Json;
using Rerank.Cli.Tests.Eval;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Hostile;

/// <summary><c>rerank eval pairs</c> on pair files that are legal but degenerate, or malformed in ways users make them.</summary>
public sealed class HostileEvalPairsTests(TinyBundleFixture bundle) : IClassFixture<TinyBundleFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("entailment")]
    [InlineData("contradiction")]
    public void EvalPairs_OneClassOnly_AccuracyThresholdAndApAreUndefined(string label)
    {
        // With one class every threshold above (or below) all scores is "right" for every pair: accuracy 1 measures
        // nothing, and AP is 1 (all positives) or has no positive to rank; both are undefined, reported as null / n/a.
        var data = _temp.WriteFile("one.jsonl", string.Concat(Enumerable.Range(1, 3).Select(i =>
            $"{{\"id\": {i}, \"text1\": \"a man plays {i}\", \"text2\": \"someone plays music {i}\", \"label\": \"{label}\"}}\n")));
        var json = Path.Combine(_temp.Path, "out.json");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var classification = document.RootElement.GetProperty("classification");
        Assert.Equal(label == "entailment" ? 3 : 0, classification.GetProperty("positive").GetInt32());
        Assert.Equal(JsonValueKind.Null, classification.GetProperty("accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, classification.GetProperty("threshold").ValueKind);
        Assert.Equal(JsonValueKind.Null, classification.GetProperty("ap").ValueKind);
        Assert.Matches(@"accuracy\s+n/a", result.Output);
    }

    [Fact]
    public void EvalPairs_OnlyNeutralPairsExcluded_MetricsAreUndefinedNotACrash()
    {
        var data = _temp.WriteFile("neutral.jsonl", "{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"label\": \"neutral\"}\n{\"id\": 2, \"text1\": \"c\", \"text2\": \"d\", \"label\": \"neutral\"}\n");
        var json = Path.Combine(_temp.Path, "out.json");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var classification = document.RootElement.GetProperty("classification");
        Assert.Equal(2, classification.GetProperty("neutral_excluded").GetInt32());
        Assert.Equal(JsonValueKind.Null, classification.GetProperty("accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, classification.GetProperty("ap").ValueKind);
    }

    [Fact]
    public void EvalPairs_OneScoredPairOrConstantScores_CorrelationsAreUndefined()
    {
        var data = _temp.WriteFile("flat.jsonl", "{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"score\": 3}\n{\"id\": 2, \"text1\": \"c\", \"text2\": \"d\", \"score\": 3}\n");
        var json = Path.Combine(_temp.Path, "out.json");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var graded = document.RootElement.GetProperty("graded");
        Assert.Equal(JsonValueKind.Null, graded.GetProperty("spearman").ValueKind);
        Assert.Equal(JsonValueKind.Null, graded.GetProperty("pearson").ValueKind);
    }

    [Fact]
    public void EvalPairs_InvalidUtf8_FailsNamingFileAndLine()
    {
        var path = Path.Combine(_temp.Path, "latin1.jsonl");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"score\": 1}\n{\"id\": 2, \"text1\": \"caf"), 0xE9, .. Encoding.UTF8.GetBytes("\", \"text2\": \"b\", \"score\": 2}\n")]);

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {path}:2: the line is not valid UTF-8{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void EvalPairs_BomAndCrlf_AreRead()
    {
        var data = _temp.WriteFile("crlf.jsonl", "\uFEFF{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"score\": 1}\r\n{\"id\": 2, \"text1\": \"c\", \"text2\": \"d\", \"score\": 2}\r\n");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("2 graded pairs", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": 1, \"text1\": 5, \"text2\": \"b\", \"score\": 1}\n", "field 'text1' must be a string, found a number")]
    [InlineData("{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"score\": 1e999}\n", "field 'score' must be a finite number, found 1e999")]
    [InlineData("[1, 2]\n", "expected a JSON object, found an array")]
    public void EvalPairs_WrongTypes_FailNamingLineAndField(string content, string expected)
    {
        var data = _temp.WriteFile("bad.jsonl", content);

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {data}:1: {expected}{Environment.NewLine}", result.Error);
    }
}
