using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Runtime;

/// <summary>
/// The student at inference, end to end: bundle on disk, tokenizer, ONNX Runtime sessions. Expected values come from
/// the double-precision references (ReferenceDecoder, ReferenceHeads) run on the same seeded weights.
/// </summary>
public sealed class StudentModelTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private const int Seed = 5;

    private static readonly RandomBundleSettings Settings = new()
    {
        Layers = 2,
        Hidden = 32,
        Heads = 4,
        KeyValueHeads = 2,
        IemHidden = 24,
        Seed = Seed,
        Query = new TextLimits { MaxTokens = 40, MaxChars = 200 },
        Passage = new TextLimits { MaxTokens = 60, MaxChars = 400 },
    };

    private static readonly string[] Passages =
    [
        "a cat sat on the mat",
        "gluons bind quarks",
        "",
        "the quick brown fox jumps over the lazy dog, twice; and then it rests",
        "x",
    ];

    private readonly TempDirectory _temp = new();
    private readonly string _bundle;

    public StudentModelTests()
    {
        _bundle = Path.Combine(_temp.Path, "bundle");
        RandomBundle.Write(_bundle, Settings);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EncodeQueries_MatchesBackbonePlusPmaReference()
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        var texts = new[] { "what binds quarks?", "cats" };

        var embeddings = model.EncodeQueries(texts, TestContext.Current.CancellationToken);

        var reference = Reference(model.Bundle.Manifest);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = reference.Embed(texts[i], model.Bundle.Manifest.Query);
            Close.Assert(expected, embeddings.AsSpan(i * model.Dim, model.Dim), Tolerance);
        }
    }

    [Theory]
    [InlineData(StudentBranch.Asymmetric)]
    [InlineData(StudentBranch.Symmetric)]
    public void Score_EveryCandidate_MatchesIemReferenceOnEmbeddings(StudentBranch branch)
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        var manifest = model.Bundle.Manifest;
        var reference = Reference(manifest);
        var query = model.EncodeQueries(["does a cat sit?"], TestContext.Current.CancellationToken);
        var passages = model.EncodePassages(Passages, TestContext.Current.CancellationToken);
        var logits = new float[Passages.Length];

        model.Score(query, passages.Projections, branch, logits);

        var queryExpected = reference.Embed("does a cat sit?", manifest.Query);
        for (var i = 0; i < Passages.Length; i++)
        {
            var passageExpected = reference.Embed(Passages[i], manifest.Passage);
            Close.Assert(passageExpected, passages.Embedding(i).Span, Tolerance);
            var expected = reference.Heads.Interact(queryExpected, passageExpected, (int)branch).Logit;
            Assert.InRange(logits[i], expected - Tolerance, expected + Tolerance);
        }
    }

    [Fact]
    public void EncodePassages_AloneOrAmongLongerOnes_SameEmbeddingAndLogit()
    {
        // One batch of 9 texts of mixed lengths: the target is padded to the longest of them.
        using var model = StudentModel.Load(_bundle, Cpu with { EncoderBatchSize = 16 });
        const string target = "gluons bind quarks";
        string[] crowd = [.. Passages, "one more passage that is a good deal longer than the target passage is", target, "z"];
        var query = model.EncodeQueries(["quarks"], TestContext.Current.CancellationToken);

        var alone = model.EncodePassages([target], TestContext.Current.CancellationToken);
        var together = model.EncodePassages(crowd, TestContext.Current.CancellationToken);
        var aloneLogit = new float[1];
        var togetherLogits = new float[crowd.Length];
        model.Score(query, alone.Projections, StudentBranch.Asymmetric, aloneLogit);
        model.Score(query, together.Projections, StudentBranch.Asymmetric, togetherLogits);

        foreach (var index in new[] { 1, crowd.Length - 2 })
        {
            Close.Assert([.. alone.Embeddings.Select(v => (double)v)], together.Embedding(index).Span, 1e-5);
            Assert.InRange(togetherLogits[index], aloneLogit[0] - 1e-5, aloneLogit[0] + 1e-5);
        }
    }

    [Fact]
    public void Load_EncoderWithExternalData_GivesTheSameEmbeddings()
    {
        var external = Path.Combine(_temp.Path, "external");
        RandomBundle.Write(external, Settings with { EncoderExternalData = true });
        using var inline = StudentModel.Load(_bundle, Cpu);
        using var fromData = StudentModel.Load(external, Cpu);

        Assert.True(File.Exists(Path.Combine(external, "encoder.onnx.data")));
        Assert.True(new FileInfo(Path.Combine(external, "encoder.onnx")).Length < new FileInfo(Path.Combine(_bundle, "encoder.onnx")).Length / 2);
        Assert.Equal(
            inline.EncodeQueries(Passages, TestContext.Current.CancellationToken),
            fromData.EncodeQueries(Passages, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Load_CpuPackage_RunsOnCpuEvenWhenGpuPreferred()
    {
        // The default build references the CPU package, which has no CUDA provider: PreferGpu must fall back, not fail.
        using var model = StudentModel.Load(_bundle, new StudentModelOptions { PreferGpu = true });

        Assert.Equal(ExecutionProviderKind.Cpu, model.Provider);
        Assert.Equal(Settings.Hidden, model.Dim);
        Assert.Equal(Settings.IemHidden, model.ProjectionDim);
    }

    [Fact]
    public void Score_ProjectionsNotAMultipleOfTheWidth_ThrowsNamingTheArgument()
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        var query = model.EncodeQueries(["q"], TestContext.Current.CancellationToken);

        var error = Assert.Throws<ArgumentException>(() => model.Score(query, new float[(2 * model.ProjectionDim) + 1], StudentBranch.Asymmetric, new float[2]));

        Assert.Equal("projections", error.ParamName);
    }

    [Fact]
    public void Score_NoCandidates_WritesNothing()
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        var query = model.EncodeQueries(["q"], TestContext.Current.CancellationToken);

        model.Score(query, Memory<float>.Empty, StudentBranch.Asymmetric, Memory<float>.Empty);

        Assert.Empty(model.EncodePassages([], TestContext.Current.CancellationToken).Projections);
    }

    private static StudentModelOptions Cpu => new() { PreferGpu = false };

    private Embedder Reference(ModelManifest manifest)
    {
        // The same seeded weights the bundle was written from, run through the plain double-precision references.
        var backbone = DecoderWeights.CreateRandom(manifest.Backbone, Seed);
        var heads = StudentHeadWeights.CreateRandom(manifest.Heads, Seed);
        var tokenizer = TextTokenizer.Load(Path.Combine(_bundle, manifest.TokenizerDirectory), manifest.Tokenizer);
        return new Embedder(manifest, backbone, new ReferenceHeads(heads, manifest.Heads.Dim, manifest.Heads.PmaHeads, manifest.Heads.IemHidden), tokenizer);
    }

    private sealed record Embedder(ModelManifest Manifest, Weights.WeightSet Backbone, ReferenceHeads Heads, TextTokenizer Tokenizer)
    {
        public double[] Embed(string text, TextLimits limits)
        {
            var ids = Tokenizer.Encode(text, limits.MaxTokens, limits.MaxChars).Select(id => (long)id).ToArray();
            var hidden = ReferenceDecoder.Forward(Manifest.Backbone, Backbone, ids);
            return Heads.Pool(hidden, hidden.Length);
        }
    }
}
