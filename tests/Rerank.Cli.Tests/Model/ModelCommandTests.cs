using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Model;

public sealed class ModelCommandTests : IDisposable
{
    // A small shape keeps every test fast; the defaults are exercised by ModelInit_SameSeedTwice.
    private static readonly string[] SmallShape = ["--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ModelInit_SameSeedTwice_WritesByteIdenticalFilesAndNamesTheModelId()
    {
        var first = Path.Combine(_temp.Path, "first");
        var second = Path.Combine(_temp.Path, "second");

        var firstResult = CliRunner.Run("model", "init", "--out", first, "--seed", "1");
        var secondResult = CliRunner.Run("model", "init", "--out", second, "--seed", "1");

        Assert.Equal(0, firstResult.ExitCode);
        Assert.Equal(0, secondResult.ExitCode);
        var files = RelativeFiles(first);
        Assert.Equal(files, RelativeFiles(second));
        Assert.Equal(["encoder.onnx", "manifest.json", "passage_projection.onnx", "scorer.onnx", "tokenizer/vocab.txt"], files);
        foreach (var file in files)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))),
                $"{file} differs between two runs with --seed 1");
        }

        var id = ManifestModelId(first);
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Contains(id, firstResult.Output, StringComparison.Ordinal);
        Assert.Contains(id, secondResult.Output, StringComparison.Ordinal);
        Assert.Equal("", firstResult.Error);
    }

    [Fact]
    public void ModelInit_OtherSeed_WritesAnotherModel()
    {
        var first = InitBundle("first", seed: 1);
        var second = InitBundle("second", seed: 2);

        Assert.NotEqual(ManifestModelId(first), ManifestModelId(second));
    }

    [Fact]
    public void ModelScore_Json_PrintsModelIdAndOneLogitPerLineInInputOrder()
    {
        var bundle = InitBundle("bundle", seed: 1);

        // Three passages by hand: "alpha beta", "" (the empty middle line), "gamma delta epsilon"; the final
        // line ending does not start a fourth.
        var passages = _temp.WriteFile("passages.txt", "alpha beta\n\ngamma delta epsilon\n");

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "greek letters", "--passages", passages, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(["model", "logits"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ManifestModelId(bundle), json.RootElement.GetProperty("model").GetString());
        var logits = Logits(json);
        Assert.Equal(3, logits.Length);
        Assert.All(logits, l => Assert.True(float.IsFinite(l)));

        // Input order: each logit is the one its passage gets when scored alone, and reversing the file reverses them.
        Assert.Equal(ScoreAlone(bundle, "greek letters", "alpha beta"), logits[0], 1e-5f);
        Assert.Equal(ScoreAlone(bundle, "greek letters", ""), logits[1], 1e-5f);
        Assert.Equal(ScoreAlone(bundle, "greek letters", "gamma delta epsilon"), logits[2], 1e-5f);
        var reversed = _temp.WriteFile("reversed.txt", "gamma delta epsilon\n\nalpha beta");
        var reversedLogits = ScoreJson(bundle, "greek letters", reversed);
        Assert.Equal(Enumerable.Reverse(logits), reversedLogits, (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void ModelScore_CrLfLineEnds_GiveTheSamePassagesAsLf()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var lf = _temp.WriteFile("lf.txt", "first passage\nsecond one\n");
        var crlf = _temp.WriteFile("crlf.txt", "first passage\r\nsecond one\r\n");

        var lfLogits = ScoreJson(bundle, "query", lf);
        var crlfLogits = ScoreJson(bundle, "query", crlf);

        Assert.Equal(2, crlfLogits.Length);
        Assert.Equal(lfLogits, crlfLogits);
    }

    [Fact]
    public void ModelScore_SameBundleWrittenTwice_GivesIdenticalLogits()
    {
        var first = InitBundle("first", seed: 5);
        var second = InitBundle("second", seed: 5);
        var passages = _temp.WriteFile("passages.txt", "one passage\nanother passage, somewhat longer than the first\nx\n");

        var firstLogits = ScoreJson(first, "which passage", passages);
        var secondLogits = ScoreJson(second, "which passage", passages);

        Assert.Equal(3, firstLogits.Length);
        Assert.Equal(firstLogits, secondLogits);
    }

    [Fact]
    public void ModelScore_SymAndAsymBranches_GiveDifferentLogits()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var passages = _temp.WriteFile("passages.txt", "one passage\nanother passage\n");

        var sym = ScoreJson(bundle, "query", passages, "--branch", "sym");
        var asym = ScoreJson(bundle, "query", passages, "--branch", "asym");
        var byDefault = ScoreJson(bundle, "query", passages);

        Assert.Equal(2, sym.Length);
        Assert.Equal(2, asym.Length);
        Assert.NotEqual(sym[0], asym[0]);
        Assert.NotEqual(sym[1], asym[1]);

        // The documented default branch is asym.
        Assert.Equal(asym, byDefault);
    }

    [Fact]
    public void ModelScore_WithoutJson_PrintsOneFloatPerLineEqualToTheJsonValues()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var passages = _temp.WriteFile("passages.txt", "alpha\nbeta gamma\n\ndelta\n");

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "q", "--passages", passages);
        var json = ScoreJson(bundle, "q", passages);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(4, lines.Length);
        var values = lines.Select(l => float.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(json, values);
    }

    [Fact]
    public void ModelScore_PassageAmongHundredOthers_GetsTheLogitItGetsAlone()
    {
        // Acceptance criterion: batching, length sorting and padding never change a passage's logit.
        var bundle = InitBundle("bundle", seed: 11);
        const string Query = "how do tides work";
        const string Target = "the moon pulls the oceans and the water rises twice a day";
        var random = new Random(20240611);
        var words = new[] { "sea", "wave", "moon", "orbit", "gravity", "shore", "salt", "wind", "a", "the", "of", "tidal", "current" };
        var lines = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            // 0 to 120 words: from empty lines to passages past the default 250-token limit (the printable-ASCII vocabulary
            // has one token per letter), so batches pad and truncate.
            var count = i % 10 == 0 ? 0 : random.Next(1, 121);
            lines.Add(string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)])));
        }

        lines.Insert(37, Target);
        var alone = _temp.WriteFile("alone.txt", Target + "\n");
        var crowded = _temp.WriteFile("crowded.txt", string.Join('\n', lines) + "\n");

        var aloneLogits = ScoreJson(bundle, Query, alone);
        var crowdedLogits = ScoreJson(bundle, Query, crowded);

        Assert.Single(aloneLogits);
        Assert.Equal(101, crowdedLogits.Length);
        Assert.Equal(aloneLogits[0], crowdedLogits[37], 1e-5f);

        // The others vary, so the crowd is a real test and not a hundred copies of one logit.
        Assert.True(crowdedLogits.Distinct().Count() > 10);
    }

    [Fact]
    public void ModelInspect_Bundle_PrintsModelIdAndEveryFile()
    {
        var bundle = InitBundle("bundle", seed: 1);

        var result = CliRunner.Run("model", "inspect", bundle);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(ManifestModelId(bundle), result.Output, StringComparison.Ordinal);
        var files = RelativeFiles(bundle).Where(f => f != "manifest.json").ToList();
        Assert.Equal(4, files.Count);
        foreach (var file in files)
        {
            Assert.Contains(file, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ModelInspect_Json_PrintsTheManifest()
    {
        var bundle = InitBundle("bundle", seed: 1);

        var result = CliRunner.Run("model", "inspect", bundle, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(ManifestModelId(bundle), json.RootElement.GetProperty("modelId").GetString());
        Assert.Equal(16, json.RootElement.GetProperty("backbone").GetProperty("hiddenSize").GetInt32());
        Assert.Equal(File.ReadAllText(Path.Combine(bundle, "manifest.json")), result.Output);
    }

    [Fact]
    public void ModelInspect_TamperedWeights_FailsNamingTheFile()
    {
        var bundle = InitBundle("bundle", seed: 1);
        File.AppendAllText(Path.Combine(bundle, "scorer.onnx"), "x");

        var result = CliRunner.Run("model", "inspect", bundle);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("scorer.onnx", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelScore_DirectoryWithoutManifest_FailsNamingManifestJson()
    {
        var empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);
        var passages = _temp.WriteFile("passages.txt", "a passage\n");

        var result = CliRunner.Run("model", "score", "--model", empty, "--query", "q", "--passages", passages);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.Contains("manifest.json", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void ModelScore_MissingPassagesFile_FailsNamingThePath()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var missing = Path.Combine(_temp.Path, "no-such-passages.txt");

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "q", "--passages", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelScore_UnknownBranch_IsRejected()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var passages = _temp.WriteFile("passages.txt", "a passage\n");

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "q", "--passages", passages, "--branch", "other");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'other'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output.Split('\n'), l => float.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void ModelInit_ZeroLayers_IsRejectedWithoutWriting()
    {
        var output = Path.Combine(_temp.Path, "zero");

        var result = CliRunner.Run("model", "init", "--out", output, "--layers", "0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--layers", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public void ModelInit_HiddenNotDivisibleByHeads_FailsNamingTheProblem()
    {
        var output = Path.Combine(_temp.Path, "indivisible");

        var result = CliRunner.Run("model", "init", "--out", output, "--heads", "3", "--hidden", "64");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.Contains("hidden_size 64 is not a multiple of num_attention_heads 3", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public void ModelInit_TensorLargerThanAnArray_FailsNamingTheTensor()
    {
        var output = Path.Combine(_temp.Path, "huge");

        // intermediate_size defaults to 3 x 100,000: gate_proj is [300000, 100000], 3e10 values.
        var result = CliRunner.Run("model", "init", "--out", output, "--hidden", "100000", "--layers", "1000");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("tensor model.layers.0.mlp.gate_proj.weight [300000, 100000] would hold 30000000000 values, more than one array holds (2147483591).", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void ModelInit_WeightsOverTwoGibibytes_FailsBeforeWriting()
    {
        var output = Path.Combine(_temp.Path, "large");

        // One layer: q and o 8192 x 8192, k and v 1024 x 8192, three MLP matrices 24576 x 8192: 754,974,720 values,
        // 3,019,898,880 bytes in float32 before the embeddings, past protobuf's 2 GiB.
        var result = CliRunner.Run("model", "init", "--out", output, "--hidden", "8192", "--heads", "64", "--kv-heads", "8", "--layers", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("more than 2147483647 (an ONNX file with inline weights stays under 2 GiB).", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("would hold", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void ModelScore_EmptyPassagesFile_FailsNamingIt()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var empty = _temp.WriteFile("empty.txt", "");

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "q", "--passages", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --passages: {empty} is empty; it needs one passage per line.{Environment.NewLine}", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void ModelScore_PassageWithInvalidUtf8_FailsNamingFileAndLine()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var passages = _temp.WriteBytes("latin1.txt", [.. "first passage\r\ncaf"u8, 0xE9, .. "\r\nthird\n"u8]);

        var result = CliRunner.Run("model", "score", "--model", bundle, "--query", "q", "--passages", passages);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --passages: {passages}:2: not valid UTF-8.{Environment.NewLine}", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void ModelScore_OneEmptyLine_IsOneEmptyPassage()
    {
        var bundle = InitBundle("bundle", seed: 1);
        var oneEmpty = _temp.WriteFile("one-empty.txt", "\n");

        Assert.Single(ScoreJson(bundle, "q", oneEmpty));
    }

    [Fact]
    public void ModelInit_OutIsAFile_FailsNamingIt()
    {
        var file = _temp.WriteFile("not-a-directory", "x");

        var result = CliRunner.Run(["model", "init", "--out", file, .. SmallShape]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--intermediate")]
    [InlineData("--pma-heads")]
    public void ModelInit_NegativeOptionalSize_IsRejected(string option)
    {
        var output = Path.Combine(_temp.Path, "negative");

        var result = CliRunner.Run(["model", "init", "--out", output, option, "-5", .. SmallShape]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public void ModelInit_VocabFromCorpus_VocabularyHoldsACorpusWord()
    {
        var corpus = new StringBuilder();
        corpus.Append("{\"_id\": \"d1\", \"title\": \"Zebras\", \"text\": \"zebra stripes confuse flies\"}\n");
        corpus.Append("{\"_id\": \"d2\", \"title\": \"\", \"text\": \"a zebra is not a horse\"}\n");
        var corpusPath = _temp.WriteFile("beir/corpus.jsonl", corpus.ToString());
        var output = Path.Combine(_temp.Path, "vocab-bundle");

        var result = CliRunner.Run(["model", "init", "--out", output, "--vocab-from", corpusPath, .. SmallShape]);

        Assert.Equal(0, result.ExitCode);
        var vocabulary = File.ReadAllLines(Path.Combine(output, "tokenizer", "vocab.txt"));
        Assert.Contains("zebra", vocabulary);
        Assert.Contains("stripes", vocabulary);
        Assert.Contains("zebras", vocabulary);
        Assert.DoesNotContain("~", vocabulary); // Not the printable-ASCII default.
    }

    [Fact]
    public void ModelInit_VocabFromMissingCorpus_FailsNamingThePath()
    {
        var missing = Path.Combine(_temp.Path, "no-corpus", "corpus.jsonl");
        var output = Path.Combine(_temp.Path, "bundle");

        var result = CliRunner.Run(["model", "init", "--out", output, "--vocab-from", missing, .. SmallShape]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }

    [Theory]
    [InlineData(new[] { "model" }, new[] { "init", "inspect", "score" })]
    [InlineData(new[] { "model", "init" }, new[] { "--out", "--arch", "--layers", "--hidden", "--heads", "--kv-heads", "--intermediate", "--pma-heads", "--iem-hidden", "--vocab-from", "--vocab-size", "--seed" })]
    [InlineData(new[] { "model", "score" }, new[] { "--model", "--query", "--passages", "--branch", "--json" })]
    [InlineData(new[] { "model", "inspect" }, new[] { "bundle", "--json" })]
    public void ModelHelp_EachCommand_ListsItsOptions(string[] command, string[] expected)
    {
        var result = CliRunner.Run([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var item in expected)
        {
            Assert.Contains(item, result.Output, StringComparison.Ordinal);
        }
    }

    private string InitBundle(string name, int seed)
    {
        var directory = Path.Combine(_temp.Path, name);
        var result = CliRunner.Run(["model", "init", "--out", directory, "--seed", seed.ToString(CultureInfo.InvariantCulture), .. SmallShape]);
        Assert.True(result.ExitCode == 0, result.Error);
        return directory;
    }

    private float ScoreAlone(string bundle, string query, string passage)
    {
        var file = _temp.WriteFile($"alone-{Guid.NewGuid():N}.txt", passage + "\n");
        return Assert.Single(ScoreJson(bundle, query, file));
    }

    private static float[] ScoreJson(string bundle, string query, string passages, params string[] extra)
    {
        var result = CliRunner.Run(["model", "score", "--model", bundle, "--query", query, "--passages", passages, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return Logits(json);
    }

    private static float[] Logits(JsonDocument json) =>
        [.. json.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle())];

    private static string ManifestModelId(string bundle)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json")));
        return json.RootElement.GetProperty("modelId").GetString()!;
    }

    private static List<string> RelativeFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
}
