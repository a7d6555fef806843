using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Cli.Tests.Eval;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.EvalPairs;

public sealed class EvalPairsCommandTests(TinyBundleFixture bundle) : IClassFixture<TinyBundleFixture>, IDisposable
{
    // A SICK-like file: NLI labels and relatedness scores on every pair.
    private static readonly (string Text1, string Text2, string Label, double Score)[] Sick =
    [
        ("a man is playing a guitar", "a person plays an instrument", "entailment", 4.5),
        ("a man is playing a guitar", "nobody is playing music", "contradiction", 2.1),
        ("two dogs run in a field", "animals are running outside", "entailment", 4.2),
        ("two dogs run in a field", "the dogs are asleep indoors", "contradiction", 1.9),
        ("a woman slices an onion", "a woman is cooking dinner", "neutral", 3.4),
        ("a woman slices an onion", "a vegetable is being cut", "entailment", 4.8),
        ("the kids swim in the lake", "children are in the water", "Entailment", 4.6),
        ("the kids swim in the lake", "the lake is frozen and empty", "contradiction", 1.2),
        ("a cat sits on the mat", "a cat is hungry", "neutral", 3.0),
        ("a cat sits on the mat", "the mat is empty", "CONTRADICTION", 1.5),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("sym", "exclude")]
    [InlineData("asym", "negative")]
    public void EvalPairs_LabelsAndScores_MetricsEqualAnIndependentComputationOnModelScoreLogits(string branch, string neutral)
    {
        var data = WritePairs("sick.jsonl", Sick.Select(p => Line(p.Text1, p.Text2, p.Label, p.Score)));
        var jsonPath = Path.Combine(_temp.Path, "out.json");
        string[] branchArgs = branch == "sym" ? [] : ["--branch", branch];
        string[] neutralArgs = neutral == "exclude" ? [] : ["--neutral", neutral];

        var result = CliRunner.Run(["eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", jsonPath, .. branchArgs, .. neutralArgs]);

        Assert.True(result.ExitCode == 0, result.Error);
        var logits = Sick.Select(p => ModelScore(p.Text1, p.Text2, branch)).ToArray();
        var counted = Enumerable.Range(0, Sick.Length).Where(i => neutral == "negative" || !Sick[i].Label.Equals("neutral", StringComparison.OrdinalIgnoreCase)).ToArray();
        var scores = counted.Select(i => logits[i]).ToArray();
        var positive = counted.Select(i => Sick[i].Label.Equals("entailment", StringComparison.OrdinalIgnoreCase)).ToArray();

        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        Assert.Equal(Sick.Length, root.GetProperty("pairs").GetInt32());
        Assert.Equal(branch, root.GetProperty("branch").GetString());
        var classification = root.GetProperty("classification");
        Assert.Equal(neutral, classification.GetProperty("neutral").GetString());
        Assert.Equal(4, classification.GetProperty("positive").GetInt32());
        Assert.Equal(neutral == "exclude" ? 4 : 6, classification.GetProperty("negative").GetInt32());
        Assert.Equal(neutral == "exclude" ? 2 : 0, classification.GetProperty("neutral_excluded").GetInt32());
        Assert.Equal(BruteForceAccuracy(scores, positive), classification.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(AveragePrecisionByRanks(scores, positive), classification.GetProperty("ap").GetDouble(), 12);

        var gold = Sick.Select(p => p.Score).ToArray();
        var graded = root.GetProperty("graded");
        Assert.Equal(Sick.Length, graded.GetProperty("pairs").GetInt32());
        Assert.Equal(PlainPearson(logits, gold), graded.GetProperty("pearson").GetDouble(), 4);
        Assert.Equal(PlainPearson(DistinctRanks(logits), DistinctRanks(gold)), graded.GetProperty("spearman").GetDouble(), 4);
        Assert.Contains("accuracy", result.Output, StringComparison.Ordinal);
        Assert.Contains("spearman", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalPairs_BestThreshold_SeparatesLikeTheReportedAccuracy()
    {
        var data = WritePairs("nli.jsonl", Sick.Select(p => Line(p.Text1, p.Text2, p.Label, score: null)));
        var jsonPath = Path.Combine(_temp.Path, "nli.json");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var classification = json.RootElement.GetProperty("classification");
        var threshold = classification.GetProperty("threshold").GetDouble();
        var counted = Sick.Where(p => !p.Label.Equals("neutral", StringComparison.OrdinalIgnoreCase)).ToArray();
        var correct = counted.Count(p => ModelScore(p.Text1, p.Text2, "sym") > threshold == p.Label.Equals("entailment", StringComparison.OrdinalIgnoreCase));
        Assert.Equal((double)correct / counted.Length, classification.GetProperty("accuracy").GetDouble(), 12);
        Assert.False(json.RootElement.TryGetProperty("graded", out _));
    }

    [Fact]
    public void EvalPairs_ScoresOnly_ReportsCorrelationsAlone()
    {
        var data = WritePairs("sts.jsonl", Sick.Select(p => Line(p.Text1, p.Text2, label: null, p.Score)));
        var jsonPath = Path.Combine(_temp.Path, "sts.json");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.False(json.RootElement.TryGetProperty("classification", out _));
        var logits = Sick.Select(p => ModelScore(p.Text1, p.Text2, "sym")).ToArray();
        Assert.Equal(PlainPearson(logits, [.. Sick.Select(p => p.Score)]), json.RootElement.GetProperty("graded").GetProperty("pearson").GetDouble(), 4);
        Assert.DoesNotContain("accuracy", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"text2\": \"b\", \"label\": \"maybe\"}\n", 1, "field 'label' is 'maybe'; expected entailment, neutral or contradiction")]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"text2\": \"b\", \"label\": \"neutral\"}\n{\"id\": \"2\", \"text1\": \"a\", \"text2\": \"b\", \"score\": 2}\n", 2, "field 'label' is missing but line 1 has one; every pair must have the same fields")]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"text2\": \"b\", \"score\": 1}\n\n{\"id\": \"2\", \"text1\": \"a\", \"text2\": \"b\", \"score\": 2, \"label\": \"neutral\"}\n", 3, "field 'label' is present but line 1 has none; every pair must have the same fields")]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"text2\": \"b\"}\n", 1, "the pair has neither 'label' nor 'score'; eval pairs needs one of them")]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"score\": 1}\n", 1, "field 'text2' is missing")]
    [InlineData("{\"id\": \"1\", \"text1\": \"a\", \"text2\": \"b\", \"score\": \"high\"}\n", 1, "field 'score' must be a number, found a string")]
    public void EvalPairs_MalformedLine_FailsNamingFileLineAndField(string content, int line, string message)
    {
        var data = _temp.WriteFile("bad.jsonl", content);

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {data}:{line}: {message}{Environment.NewLine}", result.Error);
        Assert.DoesNotContain("encoding", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalPairs_EmptyFile_FailsNamingTheFile()
    {
        var data = _temp.WriteFile("empty.jsonl", "\n");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {data}: the file has no pairs{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void EvalPairs_MissingFile_FailsNamingTheFile()
    {
        var data = Path.Combine(_temp.Path, "nowhere.jsonl");

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {data}", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--branch", "both")]
    [InlineData("--neutral", "positive")]
    public void EvalPairs_UnknownChoice_FailsNamingTheValue(string option, string value)
    {
        var data = WritePairs("ok.jsonl", Sick.Take(2).Select(p => Line(p.Text1, p.Text2, p.Label, p.Score)));

        var result = CliRunner.Run("eval", "pairs", "--model", bundle.Directory, "--data", data, option, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(value, result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The logit <c>rerank model score</c> prints for one pair: text1 as the query, text2 as the only passage.</summary>
    private double ModelScore(string text1, string text2, string branch)
    {
        var passages = _temp.WriteFile("passage-" + Guid.NewGuid().ToString("N")[..8] + ".txt", text2 + "\n");
        var result = CliRunner.Run("model", "score", "--model", bundle.Directory, "--query", text1, "--passages", passages, "--branch", branch, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("logits")[0].GetDouble();
    }

    /// <summary>Every threshold "score &gt;= t" for t a score or above them all, counted pair by pair.</summary>
    private static double BruteForceAccuracy(double[] scores, bool[] positive)
    {
        var best = 0.0;
        foreach (var t in scores.Append(double.PositiveInfinity))
        {
            var correct = scores.Select((s, i) => s >= t == positive[i]).Count(c => c);
            best = Math.Max(best, (double)correct / scores.Length);
        }

        return best;
    }

    /// <summary>Without ties: the mean over positives of the precision at their rank.</summary>
    private static double AveragePrecisionByRanks(double[] scores, bool[] positive)
    {
        Assert.Equal(scores.Length, scores.Distinct().Count());
        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Select(i => positive[i]).ToArray();
        var precisions = new List<double>();
        var hits = 0;
        for (var rank = 1; rank <= ranked.Length; rank++)
        {
            if (ranked[rank - 1])
            {
                hits++;
                precisions.Add((double)hits / rank);
            }
        }

        return precisions.Average();
    }

    private static double PlainPearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        var cov = x.Select((v, i) => (v - mx) * (y[i] - my)).Sum();
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    /// <summary>1-based ascending ranks of values that must all differ.</summary>
    private static double[] DistinctRanks(double[] values)
    {
        Assert.Equal(values.Length, values.Distinct().Count());
        return [.. values.Select(v => (double)(values.Count(w => w < v) + 1))];
    }

    private static string Line(string text1, string text2, string? label, double? score)
    {
        var builder = new StringBuilder("{\"id\": \"").Append(Guid.NewGuid().ToString("N")[..8]).Append("\", \"text1\": ")
            .Append(JsonSerializer.Serialize(text1)).Append(", \"text2\": ").Append(JsonSerializer.Serialize(text2));
        if (label is not null)
        {
            builder.Append(", \"label\": ").Append(JsonSerializer.Serialize(label));
        }

        if (score is not null)
        {
            builder.Append(", \"score\": ").Append(score.Value.ToString("R", CultureInfo.InvariantCulture));
        }

        return builder.Append('}').ToString();
    }

    private string WritePairs(string name, IEnumerable<string> lines) => _temp.WriteFile(name, string.Join("\n", lines) + "\n");
}
