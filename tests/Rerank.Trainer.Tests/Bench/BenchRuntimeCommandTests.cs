using System.CommandLine;
using System.Text.Json;
using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Bench;

public sealed class BenchRuntimeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void BenchRuntime_TinyCollection_ReportHasEverySystemAndRatiosOfItsTimes()
    {
        var (teacher, bundle, data) = Setup();
        var jsonPath = Path.Combine(_temp.Path, "runtime.json");

        var result = Train("bench", "runtime", "--teacher", teacher, "--model", bundle, "--data", data, "--window", "3", "--queries", "3", "--teacher-batch", "2", "--prompt-language", "en", "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        Assert.Equal("data", root.GetProperty("dataset").GetString());
        Assert.Equal("test", root.GetProperty("split").GetString());
        Assert.Equal(3, root.GetProperty("window").GetInt32());

        // BM25 by hand: q1 "apple" matches d1, d3, d4, d5 (window 3 keeps 3); q2 "banana" matches d2, d6; q3 "cherry"
        // matches nothing and is left out. Mean candidates (3 + 2) / 2.
        Assert.Equal(2, root.GetProperty("queries").GetInt32());
        Assert.Equal(2.5, root.GetProperty("mean_candidates").GetDouble(), 12);
        Assert.Equal(5, root.GetProperty("passages_encoded").GetInt32());
        Assert.Contains(teacher, root.GetProperty("teacher").GetString(), StringComparison.Ordinal);
        Assert.Contains("prompts en, batch 2", root.GetProperty("teacher").GetString(), StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")));
        Assert.Equal(manifest.RootElement.GetProperty("modelId").GetString(), root.GetProperty("student").GetString());

        var times = new Dictionary<string, (double P50, double Mean)>();
        foreach (var system in new[] { "teacher_ms", "student_ms", "bi_encoder_ms" })
        {
            var stats = root.GetProperty(system);
            Assert.Equal(["p50", "mean"], stats.EnumerateObject().Select(p => p.Name));
            times[system] = (stats.GetProperty("p50").GetDouble(), stats.GetProperty("mean").GetDouble());
            Assert.True(times[system].P50 > 0 && times[system].Mean > 0, system);
        }

        var ratios = root.GetProperty("ratios");
        AssertRatio(ratios.GetProperty("teacher_over_student"), times["teacher_ms"], times["student_ms"]);
        AssertRatio(ratios.GetProperty("student_over_bi_encoder"), times["student_ms"], times["bi_encoder_ms"]);
        Assert.Contains("teacher / student", result.Output, StringComparison.Ordinal);
        Assert.Contains("student / bi-encoder", result.Output, StringComparison.Ordinal);
        Assert.Contains("timed 2/2 queries (100%)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchRuntime_NoQueryHasAHit_FailsNamingTheFiles()
    {
        var (teacher, bundle, data) = Setup();

        var result = Train("bench", "runtime", "--teacher", teacher, "--model", bundle, "--data", data, "--queries", "1", "--split", "cherry");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: {Path.Combine(data, "queries.jsonl")}: none of the first 1 queries of split 'cherry' has a BM25 hit in {Path.Combine(data, "corpus.jsonl")}{Environment.NewLine}",
            result.Error);
    }

    [Theory]
    [InlineData("--window", "0", "--window")]
    [InlineData("--queries", "0", "--queries")]
    [InlineData("--split", "dev", "Split 'dev' not found")]
    public void BenchRuntime_InvalidInput_IsOneErrorLine(string option, string value, string expected)
    {
        var (teacher, bundle, data) = Setup();

        var result = Train("bench", "runtime", "--teacher", teacher, "--model", bundle, "--data", data, option, value);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static void AssertRatio(JsonElement ratio, (double P50, double Mean) over, (double P50, double Mean) under)
    {
        Assert.Equal(over.P50 / under.P50, ratio.GetProperty("p50").GetDouble(), 1e-9);
        Assert.Equal(over.Mean / under.Mean, ratio.GetProperty("mean").GetDouble(), 1e-9);
    }

    /// <summary>A tiny teacher (init-checkpoint), a tiny bundle (rerank model init) and six documents, three queries.</summary>
    private (string Teacher, string Bundle, string Data) Setup()
    {
        var teacher = Path.Combine(_temp.Path, "teacher");
        var bundle = Path.Combine(_temp.Path, "bundle");
        var init = Train("init-checkpoint", "--out", teacher, "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--max-positions", "512", "--seed", "3");
        Assert.True(init.ExitCode == 0, init.Error);
        var model = Invoke(global::Rerank.Cli.RerankCommand.Create(), ["model", "init", "--out", bundle, "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8", "--seed", "7"]);
        Assert.True(model.ExitCode == 0, model.Error);
        var data = new BeirFolderBuilder()
            .Document("d1", "Apples", "apple pie with cinnamon")
            .Document("d2", "", "banana bread needs ripe bananas")
            .Document("d3", "Orchards", "apple trees blossom in spring")
            .Document("d4", "Cider", "pressed apple juice")
            .Document("d5", "", "an apple a day")
            .Document("d6", "Tropical", "banana and mango")
            .Query("q1", "apple")
            .Query("q2", "banana")
            .Query("q3", "cherry")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 1)
            .Judgment("q3", "d3", 1)
            .WriteTo(Path.Combine(_temp.Path, "data"));
        File.WriteAllText(Path.Combine(data, "qrels", "cherry.tsv"), "query-id\tcorpus-id\tscore\nq3\td3\t1\n");
        return (teacher, bundle, data);
    }

    private static (int ExitCode, string Output, string Error) Train(params string[] args) => Invoke(TrainCommand.Create(), args);

    private static (int ExitCode, string Output, string Error) Invoke(RootCommand root, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(root, args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
