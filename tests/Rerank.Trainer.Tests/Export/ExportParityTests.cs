using System.Globalization;
using System.Text.Json;
using Rerank.Model.Bundle;
using Rerank.Model.Heads;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Lora;
using static Rerank.Trainer.Tests.CommandRuns;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Export;

/// <summary>
/// Issue 5 item 7's acceptance: <c>rerank-train init-checkpoint</c>, then <c>rerank-train score</c> (TorchSharp) and
/// <c>rerank model score</c> (ONNX Runtime, in-process through src/Cli's command tree) on the bundle
/// <c>rerank-train export</c> wrote agree to 1e-4 with the same ranking.
/// </summary>
public sealed class ExportParityTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private const string Query = "what binds quarks together?";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("llama", false, "f32", "asym")]
    [InlineData("llama", true, "f32", "asym")]
    [InlineData("llama", true, "bf16", "sym")]
    [InlineData("qwen2", false, "f32", "sym")]
    [InlineData("qwen2", true, "f32", "asym")]
    [InlineData("qwen2", true, "f16", "sym")]
    public void ScoreAndModelScore_OnTheExportedBundle_AgreeAndRankAlike(string arch, bool lora, string dtype, string branch)
    {
        var checkpoint = InitCheckpoint(arch, dtype);
        var passages = WritePassages();
        string[] source = ["--checkpoint", checkpoint, .. lora ? ["--lora", WriteLora(checkpoint, seed: 3)] : Array.Empty<string>()];
        var bundle = Path.Combine(_temp.Path, "bundle");

        var export = Train(["export", .. source, "--out", bundle]);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.StartsWith("model ", export.Output, StringComparison.Ordinal);
        var torch = Logits(Train(["score", .. source, "--query", Query, "--passages", passages, "--branch", branch, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", Query, "--passages", passages, "--branch", branch, "--json"]));

        var diff = MaxDiff(torch, onnx);
        output.WriteLine($"{arch} {dtype} lora={lora} {branch}: {torch.Length} passages, TorchSharp vs ONNX Runtime max abs diff {diff:E2}");
        Assert.Equal(37, torch.Length);
        Assert.True(diff <= Tolerance, $"max abs diff {diff:E2}");
        Assert.Equal(Ranking(torch), Ranking(onnx));
        Assert.True(torch.Max() - torch.Min() > 1e-3, "the passages should get different logits");

        if (lora)
        {
            var withoutLora = Logits(Train(["score", "--checkpoint", checkpoint, "--query", Query, "--passages", passages, "--branch", branch, "--json"]));
            Assert.True(MaxDiff(torch, withoutLora) > 1e-3, "the adapter must change the logits");
            var manifest = ModelBundle.Load(bundle).Manifest;
            Assert.Contains(" + LoRA " + Path.Combine(_temp.Path, "lora-3") + " (sha256 ", manifest.Provenance.Backbone, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Export_TrainedStudentDirectory_IsWhatBothScorersUse()
    {
        var checkpoint = InitCheckpoint("qwen2", "f32");
        var passages = WritePassages();
        var student = Path.Combine(_temp.Path, "student");
        var heads = new Model.Architecture.StudentHeadsConfig { Dim = 32, PmaHeads = 2, IemHidden = 48 };
        StudentDirectory.Write(
            student, heads, Model.Architecture.StudentHeadWeights.CreateRandom(heads, seed: 9), new TextLimits { MaxTokens = 12, MaxChars = 0 }, new TextLimits { MaxTokens = 40, MaxChars = 60 });
        string[] source = ["--checkpoint", checkpoint, "--lora", WriteLora(checkpoint, seed: 4), "--student", student];
        var bundle = Path.Combine(_temp.Path, "bundle");

        Assert.Equal(0, Train(["export", .. source, "--out", bundle]).ExitCode);
        var torch = Logits(Train(["score", .. source, "--query", Query, "--passages", passages, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", Query, "--passages", passages, "--json"]));

        var diff = MaxDiff(torch, onnx);
        output.WriteLine($"qwen2 with --lora and --student (PMA 2 heads, IEM 48, 12/40 tokens): max abs diff {diff:E2}");
        Assert.True(diff <= Tolerance, $"max abs diff {diff:E2}");
        Assert.Equal(Ranking(torch), Ranking(onnx));
        var manifest = ModelBundle.Load(bundle).Manifest;
        Assert.Equal(heads with { }, manifest.Heads);
        Assert.Equal(new TextLimits { MaxTokens = 12, MaxChars = 0 }, manifest.Query);
        Assert.Equal(new TextLimits { MaxTokens = 40, MaxChars = 60 }, manifest.Passage);
        Assert.Null(manifest.Provenance.Seed);
        Assert.StartsWith($"PMA and IEM from {student} (sha256 ", manifest.Provenance.Notes, StringComparison.Ordinal);

        // Passages are cut to 60 characters: two that differ only after their 60th character score alike.
        var cut = _temp.WriteFile("cut.txt", new string('a', 60) + "xyz\n" + new string('a', 60) + "pqr stu\n");
        var cutLogits = Logits(Train(["score", .. source, "--query", Query, "--passages", cut, "--json"]));
        Assert.Equal(cutLogits[0], cutLogits[1]);
    }

    [Fact]
    public void Export_StudentWithTrainingRecord_CarriesTeacherDataLossesAndMetricsIntoTheManifest()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var student = Path.Combine(_temp.Path, "student");
        var heads = new Model.Architecture.StudentHeadsConfig { Dim = 32, PmaHeads = 2, IemHidden = 8 };
        StudentDirectory.Write(student, heads, Model.Architecture.StudentHeadWeights.CreateRandom(heads, 1));
        File.WriteAllText(Path.Combine(student, "training.json"), """
            {"format_version": 1, "teacher": "teacher-ckpt (sha256 ab)", "training_data": "scifact, train split",
             "losses": {"ci": 1, "ri_hi": 0.01}, "metrics": {"heldout_spearman": 0.625}, "notes": "frozen backbone, 200 steps"}
            """);
        var bundle = Path.Combine(_temp.Path, "bundle");

        Assert.Equal(0, Train(["export", "--checkpoint", checkpoint, "--student", student, "--out", bundle]).ExitCode);

        var provenance = ModelBundle.Load(bundle).Manifest.Provenance;
        Assert.Equal("teacher-ckpt (sha256 ab)", provenance.Teacher);
        Assert.Equal("scifact, train split", provenance.TrainingData);
        Assert.Equal(new Dictionary<string, double> { ["ci"] = 1, ["ri_hi"] = 0.01 }, provenance.Losses);
        Assert.Equal(new Dictionary<string, double> { ["heldout_spearman"] = 0.625 }, provenance.Metrics);
        Assert.EndsWith(". frozen backbone, 200 steps", provenance.Notes, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(student, "training.json"), """{"format_version": 1, "teacher": "t", "training_data": "d", "losses": {"ci": "one"}, "metrics": {}}""");
        var broken = Train(["export", "--checkpoint", checkpoint, "--student", student, "--out", Path.Combine(_temp.Path, "broken")]);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"{Path.Combine(student, "training.json")}: losses.ci must be a finite number", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SameArgumentsTwice_GivesByteIdenticalBundles()
    {
        var checkpoint = InitCheckpoint("llama", "bf16");
        string[] source = ["--checkpoint", checkpoint, "--lora", WriteLora(checkpoint, seed: 5), "--seed", "7"];
        var first = Path.Combine(_temp.Path, "first");
        var second = Path.Combine(_temp.Path, "second");

        Assert.Equal(0, Train(["export", .. source, "--out", first]).ExitCode);
        Assert.Equal(0, Train(["export", .. source, "--out", second]).ExitCode);

        var files = Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["encoder.onnx", "manifest.json", "passage_projection.onnx", "scorer.onnx", Path.Combine("tokenizer", "vocab.txt")], files);
        Assert.Equal(files, Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(first, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, f))), f));
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "vocab.txt")), File.ReadAllBytes(Path.Combine(first, "tokenizer", "vocab.txt")));
    }

    [Fact]
    public void Export_RandomHeadsAndSeed_AreRerankModelInitsForTheSameShapeAndSeed()
    {
        // init-checkpoint's backbone is rerank model init's for the same shape and seed (docs/trainer.md); with the same
        // max_position_embeddings (model init uses 512) the whole graphs must come out the same.
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        Assert.Equal(0, Train(["init-checkpoint", "--out", checkpoint, "--hidden", "32", "--heads", "4", "--kv-heads", "2", "--max-positions", "512", "--seed", "5"]).ExitCode);
        var exported = Path.Combine(_temp.Path, "exported");
        Assert.Equal(0, Train(["export", "--checkpoint", checkpoint, "--seed", "5", "--iem-hidden", "64", "--out", exported]).ExitCode);
        var initialised = Path.Combine(_temp.Path, "initialised");
        Assert.Equal(0, RerankCli(["model", "init", "--out", initialised, "--hidden", "32", "--heads", "4", "--kv-heads", "2", "--iem-hidden", "64", "--seed", "5"]).ExitCode);

        foreach (var file in new[] { "encoder.onnx", "passage_projection.onnx", "scorer.onnx" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(exported, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(initialised, file))), file);
        }

        var manifest = ModelBundle.Load(exported).Manifest;
        Assert.Equal(5, manifest.Provenance.Seed);
        Assert.Equal("rerank-train export", manifest.Provenance.CreatedBy);
        Assert.StartsWith(checkpoint + " (sha256 ", manifest.Provenance.Backbone, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_LoraWithoutItsWeights_FailsNamingTheFile()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var lora = WriteLora(checkpoint, seed: 1);
        File.Delete(Path.Combine(lora, "adapter_model.safetensors"));

        var result = Train(["export", "--checkpoint", checkpoint, "--lora", lora, "--out", Path.Combine(_temp.Path, "bundle")]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(lora, "adapter_model.safetensors")}: not found", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "bundle", "manifest.json")));
    }

    [Fact]
    public void ExportAndScore_LoraOfAnotherRank_FailNamingFileAndTensor()
    {
        var checkpoint = InitCheckpoint("qwen2", "f32");
        var lora = WriteLora(checkpoint, seed: 1);
        var config = Path.Combine(lora, "adapter_config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"r\": 4", "\"r\": 8", StringComparison.Ordinal));
        var passages = WritePassages();

        var export = Train(["export", "--checkpoint", checkpoint, "--lora", lora, "--out", Path.Combine(_temp.Path, "bundle")]);
        var score = Train(["score", "--checkpoint", checkpoint, "--lora", lora, "--query", Query, "--passages", passages]);

        var expected = $"{Path.Combine(lora, "adapter_model.safetensors")}: tensor 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight' has shape [4, 32], adapter_config.json (r = 8) and the model expect [8, 32]";
        foreach (var result in new[] { export, score })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.Equal(1, CountOf(result.Error, "error: "));
        }
    }

    [Fact]
    public void Export_StudentOfAnotherWidth_FailsNamingTheConfig()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var student = Path.Combine(_temp.Path, "student");
        var heads = new Model.Architecture.StudentHeadsConfig { Dim = 16, PmaHeads = 2, IemHidden = 8 };
        StudentDirectory.Write(student, heads, Model.Architecture.StudentHeadWeights.CreateRandom(heads, 1));

        var result = Train(["export", "--checkpoint", checkpoint, "--student", student, "--out", Path.Combine(_temp.Path, "bundle")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: student heads cannot be loaded: {Path.Combine(student, "student_config.json")}: dim is 16 but the checkpoint's hidden_size is 32{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Score_StudentWithAWrongTensor_FailsNamingFileAndTensor()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var student = Path.Combine(_temp.Path, "student");
        var heads = new Model.Architecture.StudentHeadsConfig { Dim = 32, PmaHeads = 2, IemHidden = 8 };
        StudentDirectory.Write(student, heads, Model.Architecture.StudentHeadWeights.CreateRandom(heads, 1));
        var other = Path.Combine(_temp.Path, "other");
        StudentDirectory.Write(other, heads with { PmaHeads = 4, IemHidden = 10 }, Model.Architecture.StudentHeadWeights.CreateRandom(heads with { IemHidden = 10 }, 1));
        File.Copy(Path.Combine(other, "student_heads.safetensors"), Path.Combine(student, "student_heads.safetensors"), overwrite: true);

        var result = Train(["score", "--checkpoint", checkpoint, "--student", student, "--query", Query, "--passages", WritePassages()]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{Path.Combine(student, "student_heads.safetensors")}: tensor 'iem.fc1.bias' has shape [10], student_config.json (dim 32, iem_hidden 8) expects [8]", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--pma-heads", "2", "error: --pma-heads and --iem-hidden size random heads; with --student the sizes come from student_config.json.")]
    public void Export_SizeOptionWithStudent_IsRefused(string option, string value, string expected)
    {
        var checkpoint = InitCheckpoint("llama", "f32");

        var result = Train(["export", "--checkpoint", checkpoint, "--student", _temp.Path, option, value, "--out", Path.Combine(_temp.Path, "bundle")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + Environment.NewLine, result.Error);
    }

    [Theory]
    [InlineData("--pma-heads", "3", "error: Invalid student heads: pma heads 3 must be positive and divide dim 32.")]
    [InlineData("--iem-hidden", "0", "error: --iem-hidden must be at least 1 (is 0).")]
    public void Export_BadRandomHeadSize_IsOneErrorLine(string option, string value, string expected)
    {
        var checkpoint = InitCheckpoint("llama", "f32");

        var result = Train(["export", "--checkpoint", checkpoint, option, value, "--out", Path.Combine(_temp.Path, "bundle")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + Environment.NewLine, result.Error);
    }

    [Fact]
    public void Score_MissingPassageFile_IsOneErrorLine()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var missing = Path.Combine(_temp.Path, "nope.txt");

        var result = Train(["score", "--checkpoint", checkpoint, "--query", Query, "--passages", missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --passages: {missing} does not exist.{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void Score_WithoutJson_PrintsOneRoundTripFloatPerLineEqualToTheJsonValues()
    {
        var checkpoint = InitCheckpoint("llama", "f32");
        var passages = _temp.WriteFile("p.txt", "one\r\ntwo passages\r\n\r\n");

        var plain = Train(["score", "--checkpoint", checkpoint, "--query", Query, "--passages", passages]);
        var json = Train(["score", "--checkpoint", checkpoint, "--query", Query, "--passages", passages, "--json"]);

        var lines = plain.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Logits(json), lines);
        Assert.Equal(3, lines.Length);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal($"checkpoint {checkpoint}, random heads seed 1", document.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("export")]
    [InlineData("score")]
    public void Help_ListsTheOptions(string command)
    {
        var result = Train([command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--checkpoint", "--lora", "--student", "--seed", "--pma-heads", "--iem-hidden" })
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
    }

    private string InitCheckpoint(string arch, string dtype)
    {
        var directory = Path.Combine(_temp.Path, "checkpoint");

        // LLaMA with GQA 4/2, untied; Qwen2 with GQA 8/2, q/k/v biases, rope theta 1e6 and tied embeddings.
        string[] shape = arch == "qwen2" ? ["--heads", "8", "--kv-heads", "2", "--tie-embeddings"] : ["--heads", "4", "--kv-heads", "2"];
        var result = Train(["init-checkpoint", "--out", directory, "--arch", arch, "--layers", "2", "--hidden", "32", .. shape, "--dtype", dtype, "--seed", "11"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return directory;
    }

    /// <summary>An adapter on every linear layer (r 4, alpha 8) with random nonzero B, so it really changes the model.</summary>
    private string WriteLora(string checkpoint, int seed)
    {
        var directory = Path.Combine(_temp.Path, $"lora-{seed}");
        using var model = DecoderModel.Load(checkpoint);
        var adapter = LoraAdapter.Attach(model, new LoraOptions { Rank = 4, Alpha = 8, Seed = seed });
        var generator = new Generator((ulong)seed, CPU);
        using (no_grad())
        {
            foreach (var (name, parameter) in adapter.Parameters.Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)))
            {
                using var values = randn(parameter.shape, generator: generator).mul(0.05);
                parameter.copy_(values);
            }
        }

        adapter.Save(directory);
        return directory;
    }

    /// <summary>37 passages from empty to longer than the 250-token limit, so the batches pad (and one is truncated).</summary>
    private string WritePassages()
    {
        var lines = new List<string> { "", "quarks", "Gluons bind quarks together inside protons and neutrons." };
        for (var i = 0; i < 33; i++)
        {
            lines.Add(string.Join(' ', Enumerable.Range(0, 1 + (i * 7 % 23)).Select(j => ((char)('a' + ((i + j) % 26))).ToString() + j.ToString(CultureInfo.InvariantCulture))));
        }

        lines.Add(string.Concat(Enumerable.Repeat("the strong force is carried by gluons. ", 10)));
        return _temp.WriteFile("passages.txt", string.Join('\n', lines) + "\n");
    }


    private static int[] Ranking(float[] logits) => [.. Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i)];

    private static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Select((v, i) => Math.Abs((double)v - b[i])).Max();
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
