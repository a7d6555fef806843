using System.Text.Json;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

public sealed class EvalBm25CommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EvalBm25_SmallCollection_WritesHandComputedMetrics()
    {
        // q1 "apple": d3 (2 tokens) outranks d1 (3 tokens); d1 is relevant at rank 2.
        // q2 "banana": only d2 matches; d2 grade 2 at rank 1, d3 grade 1 not retrieved.
        // q3 has only a grade-0 judgment, so it is not evaluated.
        var data = new BeirFolderBuilder()
            .Document("d1", "", "apple pie recipe")
            .Document("d2", "", "banana bread")
            .Document("d3", "", "apple juice")
            .Query("q1", "apple")
            .Query("q2", "banana")
            .Query("q3", "cherry")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 2)
            .Judgment("q2", "d3", 1)
            .Judgment("q3", "d1", 0)
            .WriteTo(Path.Combine(_temp.Path, "tiny"));
        var jsonPath = Path.Combine(_temp.Path, "out.json");

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--json", jsonPath, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        var ndcgQ1 = 1 / Math.Log2(3);
        var ndcgQ2 = 2 / (2 + (1 / Math.Log2(3)));
        Assert.Equal((ndcgQ1 + ndcgQ2) / 2, root.GetProperty("ndcg@10").GetDouble(), 1e-9);
        Assert.Equal((0.5 + 1.0) / 2, root.GetProperty("mrr@10").GetDouble(), 1e-9);
        Assert.Equal((1.0 + 0.5) / 2, root.GetProperty("recall@100").GetDouble(), 1e-9);
        Assert.Equal((0.5 + 0.5) / 2, root.GetProperty("map@100").GetDouble(), 1e-9);
        Assert.Equal(2, root.GetProperty("queries").GetInt32());
        Assert.Contains("ndcg", result.Output);
        Assert.Contains("1 queries have no relevant document", result.Output);
    }

    [Fact]
    public void EvalBm25_RunOption_WritesTrecRunLines()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "Apple", "pie")
            .Document("d2", "", "apple apple")
            .Query("q1", "apple")
            .Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "run"));
        var runPath = Path.Combine(_temp.Path, "bm25.run");

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--run", runPath, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(runPath).Select(l => l.Split(' ')).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal(6, l.Length));
        Assert.Equal(["q1", "Q0", "d2", "1"], lines[0][..4]);
        Assert.Equal(["q1", "Q0", "d1", "2"], lines[1][..4]);
        Assert.True(double.Parse(lines[0][4], System.Globalization.CultureInfo.InvariantCulture) > double.Parse(lines[1][4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("standard", 1.0)]
    [InlineData("cjk", 0.0)]
    public void EvalBm25_AnalyzerOption_ChangesHowChineseMatches(string analyzer, double expectedMrr)
    {
        // Standard splits Han text into single characters: both documents hold 北, 京, 大, 学 and tie, and
        // trec_eval's tie order (id descending) puts d2 first. CJK bigrams: only d1 holds 北京, so d2 is never retrieved.
        var data = new BeirFolderBuilder()
            .Document("d1", "", "北京大学")
            .Document("d2", "", "京北大学")
            .Query("q1", "北京")
            .Judgment("q1", "d2", 1)
            .WriteTo(Path.Combine(_temp.Path, "zh"));
        var jsonPath = Path.Combine(_temp.Path, analyzer + ".json");

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--analyzer", analyzer, "--json", jsonPath, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(expectedMrr, json.RootElement.GetProperty("mrr@10").GetDouble(), 12);
        Assert.Equal(analyzer, json.RootElement.GetProperty("bm25").GetProperty("analyzer").GetString());
    }

    [Fact]
    public void EvalBm25_MalformedCorpusLine_FailsNamingFileAndLine()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "", "apple")
            .Query("q1", "apple")
            .Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "bad"));
        var corpus = Path.Combine(data, "corpus.jsonl");
        File.AppendAllText(corpus, "{\"_id\": \"d2\", \"title\": \"no text field\"}\n");

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains($"{corpus}:2:", result.Error);
        Assert.Contains("text", result.Error);
    }

    [Fact]
    public void EvalBm25_QrelNamesUnknownDocument_FailsNamingQrelsLine()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "", "apple")
            .Query("q1", "apple")
            .Judgment("q1", "d1", 1)
            .Judgment("q1", "missing-doc", 1)
            .WriteTo(Path.Combine(_temp.Path, "unknown"));

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Path.Combine(data, "qrels", "test.tsv") + ":3:", result.Error);
        Assert.Contains("missing-doc", result.Error);
    }

    [Fact]
    public void EvalBm25_MissingSplit_FailsListingAvailableSplits()
    {
        var data = new BeirFolderBuilder().Document("d1", "", "apple").Query("q1", "apple").Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "splits"), split: "dev");

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--split", "test", "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dev", result.Error);
    }

    [Theory]
    [InlineData("--top-k", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--analyzer", "klingon")]
    [InlineData("--scoring", "tfidf")]
    public void EvalBm25_InvalidOption_FailsWithoutRunning(string option, string value)
    {
        var result = CliRunner.Run("eval", "bm25", "--data", _temp.Path, option, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(option.TrimStart('-'), result.Error + result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EvalBm25_IndexDirIsAFile_FailsNamingItBeforeReading()
    {
        var file = _temp.WriteFile("index-file", "x");

        var result = CliRunner.Run("eval", "bm25", "--data", _temp.Path, "--index-dir", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --index-dir: {file} is a file, not a directory.{Environment.NewLine}", result.Error);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--run")]
    public void EvalBm25_OutputFileInAMissingFolderOrAFolder_FailsBeforeEvaluating(string option)
    {
        var missing = Path.Combine(_temp.Path, "no-such-folder", "out.txt");

        var inMissing = CliRunner.Run("eval", "bm25", "--data", _temp.Path, option, missing);
        var isFolder = CliRunner.Run("eval", "bm25", "--data", _temp.Path, option, _temp.Path);

        Assert.Equal(1, inMissing.ExitCode);
        Assert.Equal($"error: {option}: the folder {Path.GetDirectoryName(missing)} does not exist.{Environment.NewLine}", inMissing.Error);
        Assert.Equal(1, isFolder.ExitCode);
        Assert.Equal($"error: {option}: {_temp.Path} is a directory, not a file.{Environment.NewLine}", isFolder.Error);
        Assert.Equal("", inMissing.Output + isFolder.Output);
    }

    [Fact]
    public void EvalBm25_CorpusLineWithInvalidUtf8_FailsNamingFileAndLine()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "", "apple")
            .Query("q1", "apple")
            .Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "utf8"));
        var corpus = Path.Combine(data, "corpus.jsonl");
        using (var stream = File.Open(corpus, FileMode.Append))
        {
            stream.Write([.. "{\"_id\": \"d2\", \"text\": \"caf"u8, 0xE9, .. "\"}\n"u8]); // Latin-1 é, not UTF-8
        }

        var result = CliRunner.Run("eval", "bm25", "--data", data, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {corpus}:2: the line is not valid UTF-8{Environment.NewLine}", result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("eval", "--help")]
    [InlineData("eval", "bm25", "--help")]
    public void Help_EveryCommand_PrintsUsage(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
    }

    [Theory]
    [InlineData("lucene")]
    [InlineData("elasticsearch")]
    public void EvalBm25_SciFactTest_MatchesPublishedBm25(string scoring)
    {
        var scifact = RepositoryPaths.RequireSharedCollection("scifact");
        var jsonPath = Path.Combine(_temp.Path, "scifact.json");

        var result = CliRunner.Run(
            "eval", "bm25", "--data", scifact, "--split", "test", "--scoring", scoring, "--json", jsonPath, "--index-dir", Path.Combine(_temp.Path, "index"));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(scoring, json.RootElement.GetProperty("bm25").GetProperty("scoring").GetString());
        // BEIR's published BM25 on SciFact test: nDCG@10 = 0.665; accept the band around it.
        var ndcg = json.RootElement.GetProperty("ndcg@10").GetDouble();
        Assert.InRange(ndcg, 0.645, 0.690);
        Assert.Equal(300, json.RootElement.GetProperty("queries").GetInt32());
    }
}
