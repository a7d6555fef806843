using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Student;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tests.Backbones;
using Rerank.Trainer.Tokenization;
using Rerank.Trainer.Training;
using static Rerank.Trainer.Tests.CommandRuns;

namespace Rerank.Trainer.Tests.Training;

/// <summary>
/// A BERT checkpoint as the student backbone: a tiny random one (written with HfCheckpointWriter, WordPiece vocabulary
/// over the topic texts) trains frozen with cached states, then with LoRA from those heads, exports, and the bundle
/// scores as the TorchSharp student does (ExportParityTests' tolerance).
/// </summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class BertStudentTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private const string Query = "river boat on the lake";

    // 64 texts of two lengths (queries, passages): batches of 48 mix them, so the cache pads.
    private const int TextBatch = 48;

    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TrainFrozenThenLora_TinyBertStudent_ExportsABundleThatScoresAsTheTorchStudent()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, [.. _data.Corpus.Queries.Values, .. _data.Corpus.Passages.Values], seed: 71);
        var console = new StringWriter();

        // Frozen: the states are cached once, the heads train.
        var frozen = DistillationTrainer.Train(
            new StudentSource { Checkpoint = checkpoint, Seed = 1, PmaHeads = 2, IemHidden = 32 },
            _data.Corpus,
            _data.Plan,
            _data.Teacher(),
            new TrainingOptions { FrozenBackbone = true, MaxSteps = 4, LearningRate = 3e-3, WarmupSteps = 0, EvalEvery = 2, LogEvery = 1, TextBatch = TextBatch },
            new RunLayout(Path.Combine(_temp.Path, "frozen")),
            console,
            TestContext.Current.CancellationToken);
        Assert.Equal(4, frozen.Steps);
        AssertCachedStatesAreEachTextAlone(checkpoint, Path.Combine(_temp.Path, "frozen", "train", "frozen-states.safetensors"));

        // LoRA (PEFT's bert default: query and value), from the frozen run's heads; no held-out queries, so the last student is the best.
        var lora = DistillationTrainer.Train(
            new StudentSource { Checkpoint = checkpoint, Student = frozen.BestStudent },
            _data.Corpus,
            _data.Plan with { HeldOut = [] },
            _data.Teacher(),
            new TrainingOptions { MaxSteps = 3, LearningRate = 1e-2, WarmupSteps = 0, LogEvery = 1 },
            new RunLayout(Path.Combine(_temp.Path, "lora")),
            console,
            TestContext.Current.CancellationToken);
        output.WriteLine(console.ToString());
        Assert.Equal(3, lora.Steps);
        Assert.Contains("step 3/3 epoch 1 inbatch ", console.ToString(), StringComparison.Ordinal);
        var adapter = Path.Combine(lora.BestStudent, "lora");
        var adapterConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, "adapter_config.json")))!;
        Assert.Equal(["query", "value"], adapterConfig["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Export and score both ways.
        var passages = _temp.WriteFile("passages.txt", string.Join('\n', _data.Corpus.Passages.Values.Take(12).Append("")) + "\n");
        string[] source = ["--checkpoint", checkpoint, "--student", lora.BestStudent, "--lora", adapter];
        var bundle = Path.Combine(_temp.Path, "bundle");
        var export = Train(["export", .. source, "--out", bundle]);
        Assert.True(export.ExitCode == 0, export.Error);
        var torch = Logits(Train(["score", .. source, "--query", Query, "--passages", passages, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", Query, "--passages", passages, "--json"]));
        var withoutLora = Logits(Train(["score", "--checkpoint", checkpoint, "--student", lora.BestStudent, "--query", Query, "--passages", passages, "--json"]));

        var diff = MaxDiff(torch, onnx);
        output.WriteLine($"bert student (frozen 4 steps, LoRA 3 steps): {torch.Length} passages, TorchSharp vs ONNX Runtime max abs diff {diff:E2}");
        Assert.Equal(13, torch.Length);
        Assert.True(diff <= Tolerance, $"max abs diff {diff:E2}");
        Assert.True(torch.Max() - torch.Min() > 1e-3, "the passages should get different logits");
        Assert.True(MaxDiff(torch, withoutLora) > 1e-4, "the trained adapter must change the logits");
        var manifest = ModelBundle.Load(bundle).Manifest;
        Assert.Equal(Model.Architecture.BackboneArchitecture.Bert, manifest.Backbone.Architecture);
        Assert.Contains(" + LoRA " + adapter + " (sha256 ", manifest.Provenance.Backbone, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportedMiniLm_AsTheStudentBackboneWithRandomHeads_ScoresAsItsExportedBundle()
    {
        var checkpoint = Path.Combine(_temp.Path, "minilm");
        var import = Train(["pretrained", "import", "minilm", "--out", checkpoint]);
        Assert.True(import.ExitCode == 0, import.Error);
        var passages = _temp.WriteFile("passages.txt", string.Join('\n',
        [
            "Gluons mediate the strong interaction that binds quarks inside protons and neutrons.",
            "Quarks carry colour charge.",
            "The café served a naïve crème brûlée.",
            "Vitamin D deficiency is associated with respiratory infections.",
            "",
        ]) + "\n");
        string[] source = ["--checkpoint", checkpoint, "--seed", "3", "--iem-hidden", "64"];
        var bundle = Path.Combine(_temp.Path, "bundle");

        var export = Train(["export", .. source, "--out", bundle]);
        Assert.True(export.ExitCode == 0, export.Error);
        var torch = Logits(Train(["score", .. source, "--query", "what binds quarks together?", "--passages", passages, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", "what binds quarks together?", "--passages", passages, "--json"]));

        var diff = MaxDiff(torch, onnx);
        output.WriteLine($"imported all-MiniLM-L6-v2 + random heads (12 PMA heads, IEM 64): {torch.Length} passages, TorchSharp vs ONNX Runtime max abs diff {diff:E2}");
        Assert.Equal(5, torch.Length);
        Assert.True(diff <= Tolerance, $"max abs diff {diff:E2}");
        Assert.True(torch.Max() - torch.Min() > 1e-3, "the passages should get different logits");
        Assert.Equal(Model.Architecture.BackboneArchitecture.Bert, ModelBundle.Load(bundle).Manifest.Backbone.Architecture);
    }

    [Fact]
    public void Export_StudentWithAQueryPrefix_BundleAndTorchStudentBothPutItBeforeTheQuery()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, [.. _data.Corpus.Queries.Values, .. _data.Corpus.Passages.Values], seed: 73);
        var heads = new Model.Architecture.StudentHeadsConfig { Dim = 32, PmaHeads = 2, IemHidden = 16 };
        var weights = Model.Architecture.StudentHeadWeights.CreateRandom(heads, seed: 5);
        var passage = new TextLimits { MaxTokens = 32, MaxChars = 200 };
        var prefixed = Path.Combine(_temp.Path, "prefixed");
        var plain = Path.Combine(_temp.Path, "plain");
        StudentDirectory.Write(prefixed, heads, weights, new TextLimits { MaxTokens = 16, MaxChars = 100, Prefix = "lake song: " }, passage);
        StudentDirectory.Write(plain, heads, weights, new TextLimits { MaxTokens = 16, MaxChars = 100 }, passage);
        var passages = _temp.WriteFile("passages.txt", string.Join('\n', _data.Corpus.Passages.Values.Take(8)) + "\n");
        var bundle = Path.Combine(_temp.Path, "bundle");

        Assert.Equal(0, Train(["export", "--checkpoint", checkpoint, "--student", prefixed, "--out", bundle]).ExitCode);
        var torch = Logits(Train(["score", "--checkpoint", checkpoint, "--student", prefixed, "--query", Query, "--passages", passages, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", Query, "--passages", passages, "--json"]));
        var unprefixed = Logits(Train(["score", "--checkpoint", checkpoint, "--student", plain, "--query", Query, "--passages", passages, "--json"]));

        var diff = MaxDiff(torch, onnx);
        output.WriteLine($"bert student with query prefix: TorchSharp vs ONNX Runtime max abs diff {diff:E2}; the prefix moves the logits by {MaxDiff(torch, unprefixed):E2}");
        Assert.True(diff <= Tolerance, $"max abs diff {diff:E2}");
        Assert.True(MaxDiff(torch, unprefixed) > 1e-4, "the prefix must change the query embedding");
        Assert.Equal("lake song: ", ModelBundle.Load(bundle).Manifest.Query.Prefix);
        Assert.Equal("lake song: ", StudentDirectory.Read(prefixed).Query!.Prefix);
    }

    [Fact]
    public void Teacher_BertCheckpoint_IsRefusedByNameInOneLine()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, ["river boat lake"], seed: 72);
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));

        var error = Assert.Throws<Model.Checkpoints.CheckpointException>(() => TeacherRun.Run(
            _data.Corpus, _data.Plan, new TeacherRunSettings { Checkpoint = checkpoint, TeacherDirectory = run.TeacherDirectory }, TextWriter.Null, TextWriter.Null, terminal: false));

        Assert.Equal(
            $"{Path.Combine(checkpoint, "config.json")}: model_type 'bert' is not supported as the teacher (it has no LM head to answer yes/no; the teacher is a llama or qwen2 decoder, bert is supported as the student backbone)",
            Assert.Single(error.Problems));
        Assert.Equal(error.Problems[0].Length, UserErrors.OneLine(error).Length - $"Checkpoint {checkpoint} cannot be loaded: ".Length);
    }

    /// <summary>
    /// The frozen cache ran the texts in padded batches of <see cref="TextBatch"/> (longest first); each text's cached states must equal the
    /// backbone run on that text alone, unpadded, since BERT hides padded keys.
    /// </summary>
    private void AssertCachedStatesAreEachTextAlone(string checkpoint, string cachePath)
    {
        using var model = BackboneModel.Load(checkpoint);
        var tokenizer = HfTokenizerLoader.Load(checkpoint, HfModelConfig.Read(Path.Combine(checkpoint, CheckpointFiles.Config)), Path.Combine(_temp.Path, "staging")).Tokenizer;
        using var file = SafetensorsFile.Open(cachePath);
        var worst = 0.0;
        var lengths = new List<int>();
        foreach (var tensor in file.Tensors)
        {
            var text = tensor.Name.StartsWith("q/", StringComparison.Ordinal) ? _data.Corpus.Queries[tensor.Name[2..]] : _data.Corpus.Passages[tensor.Name[2..]];
            long[] ids = [.. tokenizer.Encode(text, 64, 4000).Select(i => (long)i)];
            var alone = DecoderModelTests.RunModel(model, ids, [.. ids.Select(_ => 1L)], 1);
            var cached = file.ReadSingles(tensor.Name);
            Assert.Equal(alone.Length, cached.Length);
            worst = Math.Max(worst, alone.Zip(cached, (a, c) => Math.Abs((double)a - c)).Max());
            lengths.Add(ids.Length);
        }

        output.WriteLine($"frozen cache: {lengths.Count} texts of {lengths.Distinct().Count()} lengths, cached vs alone max abs diff {worst:E2}");
        Assert.Contains(lengths.OrderDescending().Chunk(TextBatch), batch => batch.Distinct().Count() > 1);
        Assert.True(worst <= 1e-5, $"cached vs alone max abs diff {worst:E2}");
    }


    private static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Select((v, i) => Math.Abs((double)v - b[i])).Max();
    }
}
