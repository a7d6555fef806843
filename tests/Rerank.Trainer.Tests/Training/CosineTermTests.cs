using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.Model.Runtime;
using Rerank.TestUtilities.Model;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Student;
using Rerank.Trainer.Tests.Backbones;
using Rerank.Trainer.Tests.Student;
using Rerank.Trainer.Tokenization;
using Rerank.Trainer.Training;
using static Rerank.Trainer.Tests.CommandRuns;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Training;

/// <summary>
/// The cosine term (ours, beyond the paper) in the trainer: logit = a * cos(q^, p^) + IEM(q, p), checked against plain
/// double loops, a fresh student's ranking against the encoder's own cosine, the gradients, the exported bundle, and
/// <c>--cosine-pooling auto</c> on the imported encoders.
/// </summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class CosineTermTests(ITestOutputHelper output) : IDisposable
{
    private const string Query = "river boat on the lake";
    private const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    private readonly TempDirectory _temp = new();
    private readonly TopicTrainingData _data = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(EmbeddingPooling.Mean)]
    [InlineData(EmbeddingPooling.Cls)]
    public void Interact_PaddedBatch_EqualsIemPlusScaledCosineInDouble(EmbeddingPooling pooling)
    {
        var config = new StudentHeadsConfig { Dim = 16, PmaHeads = 4, IemHidden = 12, CosinePooling = pooling };
        var weights = StudentHeadWeights.CreateRandom(config, seed: 11);
        int[] queryLengths = [5, 2, 3];
        int[] passageLengths = [1, 5, 4];
        const int seq = 5;
        var queryHidden = StudentHeadsTests.Random(seed: 21, 3 * seq * config.Dim, scale: 2); // padded rows hold junk
        var passageHidden = StudentHeadsTests.Random(seed: 22, 3 * seq * config.Dim, scale: 2);

        using var heads = StudentHeads.Create(config, weights);
        using var noGrad = no_grad();
        using var q = heads.Embed(tensor(queryHidden, [3, seq, config.Dim]), tensor(Mask(queryLengths, seq), [3, seq]));
        using var p = heads.Embed(tensor(passageHidden, [3, seq, config.Dim]), tensor(Mask(passageLengths, seq), [3, seq]));
        var (logitsTensor, featuresTensor) = heads.Interact(q, p, StudentBranch.Asymmetric);
        var logits = logitsTensor.data<float>().ToArray();

        Assert.Equal([3, 2 * config.Dim], q.shape);
        Assert.Equal([3, config.IemHidden], featuresTensor.shape);
        var reference = new ReferenceHeads(weights, config.Dim, config.PmaHeads, config.IemHidden);
        var scale = (double)weights.Get(StudentHeadNames.CosineScale, 1).Values[0];
        var worst = 0.0;
        for (var i = 0; i < 3; i++)
        {
            var queryRows = Rows(queryHidden, i, seq, config.Dim);
            var passageRows = Rows(passageHidden, i, seq, config.Dim);
            var (iem, _) = reference.Interact(reference.Pool(queryRows, queryLengths[i]), reference.Pool(passageRows, passageLengths[i]), branch: 1);
            var expected = iem + (scale * Dot(Unit(queryRows, queryLengths[i], pooling), Unit(passageRows, passageLengths[i], pooling)));
            worst = Math.Max(worst, Math.Abs(expected - logits[i]));
            Assert.InRange(logits[i], expected - 1e-4, expected + 1e-4);
        }

        output.WriteLine($"cosine term ({pooling}, a = {scale:F3}) TorchSharp vs double reference, padded batch: max abs logit diff {worst:E2}");
    }

    [Fact]
    public void FreshStudent_WithTheTerm_LogitsAreTwentyTimesTheMeanPooledCosine()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, [.. _data.Corpus.Queries.Values, .. _data.Corpus.Passages.Values], seed: 81);
        var passages = _data.Corpus.Passages.Values.Take(10).ToList();

        using var inputs = StudentInputs.Open(new StudentSource { Checkpoint = checkpoint, Seed = 2, PmaHeads = 2, IemHidden = 16, CosineTerm = CosineTermChoice.Mean });
        using var student = inputs.CreateTorchStudent();
        var logits = student.Score(Query, passages, StudentBranch.Asymmetric);

        // The encoder's own cosine: each text alone through the backbone, mean of its states, in double.
        using var model = BackboneModel.Load(checkpoint);
        var tokenizer = HfTokenizerLoader.Load(checkpoint, HfModelConfig.Read(Path.Combine(checkpoint, CheckpointFiles.Config)), Path.Combine(_temp.Path, "staging")).Tokenizer;
        double[] Embed(string text, TextLimits limits)
        {
            long[] ids = [.. tokenizer.Encode(limits.Prepare(text), limits.MaxTokens, 0).Select(i => (long)i)];
            var states = DecoderModelTests.RunModel(model, ids, [.. ids.Select(_ => 1L)], 1);
            return Unit(Rows(states, 0, ids.Length, 32), ids.Length, EmbeddingPooling.Mean);
        }

        var queryUnit = Embed(Query, inputs.Query);
        var cosines = passages.Select(p => Dot(queryUnit, Embed(p, inputs.Passage))).ToArray();
        var worst = logits.Select((l, i) => Math.Abs(l - (20 * cosines[i]))).Max();
        output.WriteLine($"fresh student with the cosine term: {logits.Length} passages, cosines {cosines.Min():F3}..{cosines.Max():F3}, max |logit - 20 cos| {worst:E2}");
        Assert.Equal(Enumerable.Range(0, cosines.Length).OrderByDescending(i => cosines[i]), Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]));
        Assert.True(cosines.Max() - cosines.Min() > 0.05, "the passages' cosines should differ");
        Assert.True(worst <= 1e-5, $"max |logit - 20 cos| {worst:E2}");
        Assert.All(inputs.HeadWeights.Get(StudentHeadNames.Weight(StudentHeadNames.IemHead), 1, 16).Values, v => Assert.Equal(0f, v));
        Assert.Equal([0f], inputs.HeadWeights.Get(StudentHeadNames.Bias(StudentHeadNames.IemHead), 1).Values);
        Assert.Equal([20f], inputs.HeadWeights.Get(StudentHeadNames.CosineScale, 1).Values);
    }

    [Fact]
    public void OneStep_FreshHeadsWithTheTerm_ChangesTheScaleAndTheIemHead()
    {
        var config = new StudentHeadsConfig { Dim = 16, PmaHeads = 4, IemHidden = 12, CosinePooling = EmbeddingPooling.Mean };
        var random = StudentHeadWeights.CreateRandom(config, seed: 3);
        var fresh = new Model.Weights.WeightSet(random.Tensors.Select(t =>
            t.Name == StudentHeadNames.CosineScale ? new Model.Weights.WeightTensor(t.Name, t.Shape, [20f])
            : t.Name.StartsWith(StudentHeadNames.IemHead + ".", StringComparison.Ordinal) ? new Model.Weights.WeightTensor(t.Name, t.Shape, new float[t.Values.Length])
            : t));
        using var heads = StudentHeads.Create(config, fresh);
        var parameters = DistillationTrainer.TrainableParameters(heads, null, new TrainingOptions());
        Assert.Contains(parameters, p => p.Name == StudentHeadNames.CosineScale);
        using var optimizer = new AdamWOptimizer(parameters, 0.9, 0.999, 1e-8, weightDecay: 0.01);

        var hidden = tensor(StudentHeadsTests.Random(seed: 5, 4 * 3 * 16, scale: 1), [4, 3, 16]);
        var mask = tensor(Mask([3, 2, 3, 1], 3), [4, 3]);
        var embedded = heads.Embed(hidden, mask);
        var (logits, _) = heads.Interact(embedded.narrow(0, 0, 2), embedded.narrow(0, 2, 2), StudentBranch.Asymmetric);
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, tensor(new float[] { 1, 0 }));
        loss.backward();
        optimizer.Step(1e-2);

        var after = heads.ToWeightSet();
        var scale = after.Get(StudentHeadNames.CosineScale, 1).Values[0];
        output.WriteLine($"one AdamW step (lr 1e-2): a {20f} -> {scale}");
        Assert.NotEqual(20f, scale);
        Assert.Contains(after.Get(StudentHeadNames.Weight(StudentHeadNames.IemHead), 1, 12).Values, v => v != 0f);
        Assert.NotEqual(0f, after.Get(StudentHeadNames.Bias(StudentHeadNames.IemHead), 1).Values[0]);
        Assert.False(AdamWOptimizer.Decays(StudentHeadNames.CosineScale));
    }

    [Fact]
    public void TrainFrozenWithTheTerm_Export_BundleScoresAsTheTorchStudent()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, [.. _data.Corpus.Queries.Values, .. _data.Corpus.Passages.Values], seed: 82);
        var console = new StringWriter();
        var trained = DistillationTrainer.Train(
            new StudentSource { Checkpoint = checkpoint, Seed = 1, PmaHeads = 2, IemHidden = 32, CosineTerm = CosineTermChoice.Mean },
            _data.Corpus,
            _data.Plan with { HeldOut = [] },
            _data.Teacher(),
            new TrainingOptions { FrozenBackbone = true, MaxSteps = 4, LearningRate = 3e-2, WarmupSteps = 0, LogEvery = 1, TextBatch = 48 },
            new RunLayout(Path.Combine(_temp.Path, "run")),
            console,
            TestContext.Current.CancellationToken);
        Assert.Equal(4, trained.Steps);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(trained.BestStudent, StudentDirectory.Config)))!;
        Assert.Equal("mean", config["cosine_pooling"]!.GetValue<string>());
        var heads = StudentDirectory.Read(trained.BestStudent);
        Assert.NotEqual(20f, heads.Weights.Get(StudentHeadNames.CosineScale, 1).Values[0]);
        Assert.Contains(heads.Weights.Get(StudentHeadNames.Weight(StudentHeadNames.IemHead), 1, 32).Values, v => v != 0f);
        Assert.Contains("cosine term on (mean pooling)", File.ReadAllText(Path.Combine(trained.BestStudent, TrainingProvenance.FileName)), StringComparison.Ordinal);

        var passages = _temp.WriteFile("passages.txt", string.Join('\n', _data.Corpus.Passages.Values.Take(12)) + "\n");
        string[] source = ["--checkpoint", checkpoint, "--student", trained.BestStudent];
        var bundle = Path.Combine(_temp.Path, "bundle");
        var export = Train(["export", .. source, "--out", bundle]);
        Assert.True(export.ExitCode == 0, export.Error);
        var torch = Logits(Train(["score", .. source, "--query", Query, "--passages", passages, "--json"]));
        var onnx = Logits(RerankCli(["model", "score", "--model", bundle, "--query", Query, "--passages", passages, "--json"]));

        var diff = torch.Select((v, i) => Math.Abs((double)v - onnx[i])).Max();
        output.WriteLine($"cosine-term student (frozen 4 steps): {torch.Length} passages, logits {torch.Min():F3}..{torch.Max():F3}, TorchSharp vs ONNX Runtime max abs diff {diff:E2}");
        Assert.Equal(12, onnx.Length);
        Assert.True(diff <= 1e-4, $"max abs diff {diff:E2}");
        var manifest = ModelBundle.Load(bundle).Manifest;
        Assert.Equal(EmbeddingPooling.Mean, manifest.Heads.CosinePooling);
        Assert.Equal(2, manifest.FormatVersion);
        Assert.Contains("Cosine term on", manifest.Provenance.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TermWithTheCosineInteractionAblation_IsRefusedByName()
    {
        var checkpoint = Path.Combine(_temp.Path, "checkpoint");
        TinyBert.WriteCheckpoint(checkpoint, [.. _data.Corpus.Queries.Values, .. _data.Corpus.Passages.Values], seed: 83);

        var error = Assert.Throws<ArgumentException>(() => DistillationTrainer.Train(
            new StudentSource { Checkpoint = checkpoint, CosineTerm = CosineTermChoice.Cls },
            _data.Corpus,
            _data.Plan,
            _data.Teacher(),
            new TrainingOptions { FrozenBackbone = true, Interaction = StudentInteraction.Cosine, MaxSteps = 1 },
            new RunLayout(Path.Combine(_temp.Path, "run")),
            TextWriter.Null,
            TestContext.Current.CancellationToken));

        Assert.StartsWith("the cosine term (cosine_pooling cls) cannot be combined with --interaction cosine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CosinePoolingOption_WithHeads_IsOneErrorLine()
    {
        var heads = Path.Combine(_temp.Path, "heads");
        Directory.CreateDirectory(heads);

        var result = Train(["train", "--data", _temp.Path, "--student", _temp.Path, "--heads", heads, "--cosine-pooling", "mean", "--plan", _temp.Path, "--teacher", _temp.Path, "--out", _temp.Path]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--cosine-pooling sets the cosine term of random heads; with --heads it comes from student_config.json (cosine_pooling).", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoCosinePooling_ImportedEncodersAndADecoder_FollowTheSentenceTransformersFiles()
    {
        var minilm = Path.Combine(_temp.Path, "minilm");
        var arctic = Path.Combine(_temp.Path, "arctic");
        Assert.Equal(0, Train(["pretrained", "import", "minilm", "--out", minilm]).ExitCode);
        Assert.Equal(0, Train(["pretrained", "import", "arctic-xs", "--out", arctic]).ExitCode);
        var decoder = _data.WriteCheckpoint(Path.Combine(_temp.Path, "decoder"));
        var bare = Path.Combine(_temp.Path, "bare-bert");
        TinyBert.WriteCheckpoint(bare, ["river boat lake"], seed: 84);

        StudentInputs Open(string checkpoint) => StudentInputs.Open(new StudentSource { Checkpoint = checkpoint, IemHidden = 16, CosineTerm = CosineTermChoice.Auto });
        using (var inputs = Open(minilm))
        {
            Assert.Equal((EmbeddingPooling.Mean, 256, null, 256), (inputs.Heads.CosinePooling, inputs.Query.MaxTokens, inputs.Query.Prefix, inputs.Passage.MaxTokens));
            Assert.Equal(2 * 384, inputs.Heads.EmbeddingDim);
        }

        using (var inputs = Open(arctic))
        {
            Assert.Equal((EmbeddingPooling.Cls, 512, ArcticQueryPrefix, null), (inputs.Heads.CosinePooling, inputs.Query.MaxTokens, inputs.Query.Prefix, inputs.Passage.Prefix));
        }

        using (var inputs = Open(decoder))
        {
            Assert.Null(inputs.Heads.CosinePooling);
            Assert.DoesNotContain(StudentHeadNames.CosineScale, inputs.HeadWeights.Names);
        }

        using (var inputs = Open(bare))
        {
            Assert.Null(inputs.Heads.CosinePooling);
            Assert.Equal((64, null), (inputs.Query.MaxTokens, inputs.Query.Prefix));
        }
    }

    private static long[] Mask(int[] lengths, int seq)
    {
        var mask = new long[lengths.Length * seq];
        for (var b = 0; b < lengths.Length; b++)
        {
            Array.Fill(mask, 1L, b * seq, lengths[b]);
        }

        return mask;
    }

    private static double[][] Rows(float[] values, int batch, int seq, int dim) =>
        [.. Enumerable.Range(0, seq).Select(t => values.AsSpan(((batch * seq) + t) * dim, dim).ToArray().Select(v => (double)v).ToArray())];

    /// <summary>sentence-transformers' Pooling (mean of the real rows, or row 0) then Normalize, by hand in double.</summary>
    private static double[] Unit(double[][] rows, int length, EmbeddingPooling pooling)
    {
        var dim = rows[0].Length;
        var pooled = new double[dim];
        for (var j = 0; j < dim; j++)
        {
            pooled[j] = pooling == EmbeddingPooling.Cls ? rows[0][j] : rows.Take(length).Sum(r => r[j]) / length;
        }

        var norm = Math.Sqrt(pooled.Sum(v => v * v));
        return [.. pooled.Select(v => v / norm)];
    }

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();
}
