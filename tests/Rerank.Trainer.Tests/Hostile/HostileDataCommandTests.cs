using Rerank.CommandLine;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary>
/// <c>rerank-train mine</c> / <c>plan</c> on broken data, run in process as a user runs them: one <c>error:</c> line
/// naming the file, line and field (or the option), exit code 1, nothing written for the next stage.
/// </summary>
public sealed class HostileDataCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string RunDirectory => Path.Combine(_temp.Path, "run");

    [Fact]
    public void Mine_BeirFolderWithoutQueries_OneErrorLineNamingTheFile()
    {
        var data = Beir();
        File.Delete(Path.Combine(data, "queries.jsonl"));

        var result = Run("mine", "--data", data, "--out", RunDirectory);

        AssertOneErrorLine(result, Path.Combine(data, "queries.jsonl"));
    }

    [Fact]
    public void Mine_BeirFolderWithoutQrels_OneErrorLineNamingTheSplit()
    {
        var data = Beir();
        Directory.Delete(Path.Combine(data, "qrels"), recursive: true);

        var result = Run("mine", "--data", data, "--out", RunDirectory);

        AssertOneErrorLine(result, "--train-split: split 'train' not found");
    }

    [Theory]
    [InlineData("corpus.jsonl", "corpus-id 'd1' is not in the corpus")]
    [InlineData("queries.jsonl", "0 training queries with a positive; a held-out slice needs at least 2")]
    [InlineData("qrels/train.tsv", "")]
    public void Mine_EmptyBeirFile_OneErrorLine(string file, string expected)
    {
        var data = Beir();
        File.WriteAllText(Path.Combine(data, file), "");

        var result = Run("mine", "--data", data, "--out", RunDirectory);

        AssertOneErrorLine(result, expected);
    }

    [Fact]
    public void Mine_EveryTrainQueryHeldOutBySplit_OneErrorLine()
    {
        var data = Beir();
        File.Copy(Path.Combine(data, "qrels", "train.tsv"), Path.Combine(data, "qrels", "dev.tsv"));

        var result = Run("mine", "--data", data, "--out", RunDirectory);

        AssertOneErrorLine(result, $"{Path.Combine(data, "qrels", "train.tsv")}: no training query has a positive.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("NaN")]
    [InlineData("-0.5")]
    public void Mine_HeldOutFractionOutOfRange_OneErrorLineNamingTheOption(string value)
    {
        var result = Run("mine", "--data", Beir(), "--out", RunDirectory, "--heldout-fraction", value);

        AssertOneErrorLine(result, $"--heldout-fraction must be above 0 and below 1, got {value}");
    }

    [Theory]
    [InlineData("{\"id\": 1, \"text2\": \"b\", \"label\": \"entailment\"}", "field 'text1' is missing")]
    [InlineData("{\"id\": 1, \"text1\": \"a\", \"label\": \"entailment\"}", "field 'text2' is missing")]
    [InlineData("{\"id\": 1, \"text1\": [\"a\"], \"text2\": \"b\", \"label\": \"entailment\"}", "field 'text1' must be a string, found an array")]
    [InlineData("{\"id\": 1.5, \"text1\": \"a\", \"text2\": \"b\", \"label\": \"entailment\"}", "field 'id' must be a string or an integer, found the number 1.5")]
    [InlineData("{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"label\": 1}", "field 'label' must be a string, found a number")]
    [InlineData("{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"label\": \"entailment\"", "invalid JSON")]
    public void Mine_MalformedPairLine_OneErrorLineWithFileLineAndField(string line, string expected)
    {
        var file = _temp.WriteFile("pairs.jsonl", "{\"id\": 0, \"text1\": \"x\", \"text2\": \"y\", \"label\": \"entailment\"}\r\n" + line + "\r\n");

        var result = Run("mine", "--data", file, "--out", RunDirectory);

        AssertOneErrorLine(result, $"{file}:2: {expected}");
    }

    [Fact]
    public void Mine_PairFileWithInvalidUtf8_OneErrorLineNamingTheLine()
    {
        var file = _temp.WriteBytes("pairs.jsonl", [.. "\uFEFF{\"id\": 0, \"text1\": \"x\", \"text2\": \"y\", \"score\": 1}\n{\"id\": 1, \"text1\": \"caf"u8, 0xE9, .. "\", \"text2\": \"y\", \"score\": 1}\n"u8]);

        var result = Run("mine", "--data", file, "--out", RunDirectory);

        AssertOneErrorLine(result, $"{file}:2: the line is not valid UTF-8");
    }

    [Fact]
    public void Mine_OnlyNeutralPairs_OneErrorLineSayingNothingIsAPositive()
    {
        var file = _temp.WriteFile("pairs.jsonl", string.Concat(Enumerable.Range(0, 4).Select(i => $"{{\"id\": {i}, \"text1\": \"t{i}\", \"text2\": \"u{i}\", \"label\": \"neutral\"}}\n")));

        var result = Run("mine", "--data", file, "--out", RunDirectory);

        AssertOneErrorLine(result, "0 training queries with a positive");
    }

    [Fact]
    public void Mine_ScoreOnlyFileWithPairModeNli_OneErrorLineNamingTheLabelField()
    {
        var file = _temp.WriteFile("sts.jsonl", "{\"id\": 0, \"text1\": \"x\", \"text2\": \"y\", \"score\": 4.5}\n");

        var result = Run("mine", "--data", file, "--out", RunDirectory, "--pair-mode", "nli");

        AssertOneErrorLine(result, $"{file}:1: field 'label' is missing");
    }

    [Fact]
    public void Mine_EmptyPairFile_OneErrorLine()
    {
        var file = _temp.WriteFile("pairs.jsonl", "");

        var result = Run("mine", "--data", file, "--out", RunDirectory);

        AssertOneErrorLine(result, "0 training queries with a positive");
    }

    [Theory]
    [InlineData("--batch-size", "1", "--batch-size must be at least 2")]
    [InlineData("--negatives", "0", "--negatives must be at least 1")]
    public void Plan_BadOption_OneErrorLineNamingTheOption(string option, string value, string expected)
    {
        var data = Beir();
        Assert.Equal(0, Run("mine", "--data", data, "--out", RunDirectory).ExitCode);

        var result = Run("plan", "--data", data, "--out", RunDirectory, option, value);

        AssertOneErrorLine(result, expected);
        Assert.False(File.Exists(Path.Combine(RunDirectory, "plan.json")));
    }

    [Theory]
    [InlineData("torn")]
    [InlineData("unknown-query")]
    [InlineData("duplicate-query")]
    [InlineData("unknown-passage")]
    public void Plan_NegativesEditedByHand_OneErrorLineNamingLineAndField(string edit)
    {
        var data = Beir();
        Assert.Equal(0, Run("mine", "--data", data, "--out", RunDirectory, "--top", "2").ExitCode);
        var path = Path.Combine(RunDirectory, "negatives.jsonl");
        var lines = File.ReadAllLines(path).ToList();
        var expected = edit switch
        {
            "torn" => $"{path}:3: invalid JSON",
            "unknown-query" => $"{path}:3: field 'query_id': 'q99' is not a training or held-out query of the data",
            "duplicate-query" => $"{path}:{lines.Count + 1}: field 'query_id': ",
            _ => $"{path}:3: field 'negatives': 'd99' is not a passage of the data",
        };
        lines[2] = edit switch
        {
            "torn" => lines[2][..(lines[2].Length / 2)],
            "unknown-query" => "{\"query_id\": \"q99\", \"negatives\": [\"d1\"]}",
            "unknown-passage" => lines[2].Replace("\"negatives\":[", "\"negatives\":[\"d99\",", StringComparison.Ordinal),
            _ => lines[2],
        };
        if (edit == "duplicate-query")
        {
            lines.Add(lines[2]);
        }

        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var result = Run("plan", "--data", data, "--out", RunDirectory, "--batch-size", "2");

        AssertOneErrorLine(result, expected);
    }

    private static void AssertOneErrorLine((int ExitCode, string Output, string Error) result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    private string Beir() => new BeirFolderBuilder()
        .Document("d1", "Cats", "cats purr and sleep")
        .Document("d2", "Dogs", "dogs bark and run")
        .Document("d3", "Birds", "birds sing and fly")
        .Document("d4", "Fish", "fish swim and hide")
        .Document("d5", "", "cats and dogs play")
        .Document("d6", "", "birds and fish live")
        .Query("q1", "do cats purr")
        .Query("q2", "why do dogs bark")
        .Query("q3", "can birds fly")
        .Query("q4", "how do fish swim")
        .Query("q5", "")
        .Judgment("q1", "d1", 1)
        .Judgment("q2", "d2", 1)
        .Judgment("q3", "d3", 1)
        .Judgment("q4", "d4", 1)
        .Judgment("q5", "d5", 1)
        .Judgment("q9", "d6", 1)
        .WriteTo(Path.Combine(_temp.Path, "beir"), "train");

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
