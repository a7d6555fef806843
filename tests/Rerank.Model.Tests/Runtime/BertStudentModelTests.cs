using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tests.Graphs;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Runtime;

/// <summary>
/// A tiny random student with a BERT backbone, end to end: written as a bundle, loaded by <see cref="StudentModel"/>,
/// encoding and scoring checked against <see cref="ReferenceBert"/> and <see cref="ReferenceHeads"/> on the same
/// seeded weights.
/// </summary>
public sealed class BertStudentModelTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private const int Seed = 9;
    private const string QueryPrefix = "query: ";

    private static readonly RandomBundleSettings Settings = new()
    {
        Architecture = BackboneArchitecture.Bert,
        Layers = 2,
        Hidden = 32,
        Heads = 4,
        Intermediate = 64,
        IemHidden = 24,
        Seed = Seed,
        Query = new TextLimits { MaxTokens = 40, MaxChars = 200 },
        Passage = new TextLimits { MaxTokens = 60, MaxChars = 400 },
    };

    private static readonly string[] Passages = ["a cat sat on the mat", "gluons bind quarks", "", "x"];

    private readonly TempDirectory _temp = new();
    private readonly string _bundle;
    private readonly ModelManifest _manifest;

    public BertStudentModelTests()
    {
        _bundle = Path.Combine(_temp.Path, "bundle");
        _manifest = RandomBundle.Write(_bundle, Settings);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_BertSettings_ManifestIsFormatTwoWithBertKeysAndSepTemplate()
    {
        Assert.Equal(2, _manifest.FormatVersion);
        Assert.Equal(BackboneArchitecture.Bert, _manifest.Backbone.Architecture);
        Assert.Equal((2, 1e-12, 4), (_manifest.Backbone.TypeVocabSize, _manifest.Backbone.LayerNormEps, _manifest.Backbone.NumKeyValueHeads));
        Assert.Equal(("[CLS]", "[SEP]", true, true), (_manifest.Tokenizer.BosToken, _manifest.Tokenizer.EosToken, _manifest.Tokenizer.AddBos, _manifest.Tokenizer.AddEos));
        Assert.Contains("\"architecture\": \"bert\"", File.ReadAllText(Path.Combine(_bundle, ModelManifest.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeQueries_MatchesBertPlusPmaReference()
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        string[] texts = ["what binds quarks?", "cats"];

        var embeddings = model.EncodeQueries(texts, TestContext.Current.CancellationToken);

        var reference = Reference(_bundle, _manifest);
        for (var i = 0; i < texts.Length; i++)
        {
            Close.Assert(reference.Embed(texts[i], _manifest.Query), embeddings.AsSpan(i * model.Dim, model.Dim), Tolerance);
        }
    }

    [Theory]
    [InlineData(StudentBranch.Asymmetric)]
    [InlineData(StudentBranch.Symmetric)]
    public void Score_EveryCandidate_MatchesIemReference(StudentBranch branch)
    {
        using var model = StudentModel.Load(_bundle, Cpu);
        var reference = Reference(_bundle, _manifest);
        var query = model.EncodeQueries(["does a cat sit?"], TestContext.Current.CancellationToken);
        var passages = model.EncodePassages(Passages, TestContext.Current.CancellationToken);
        var logits = new float[Passages.Length];

        model.Score(query, passages.Projections, branch, logits);

        var queryExpected = reference.Embed("does a cat sit?", _manifest.Query);
        for (var i = 0; i < Passages.Length; i++)
        {
            var passageExpected = reference.Embed(Passages[i], _manifest.Passage);
            Close.Assert(passageExpected, passages.Embedding(i).Span, Tolerance);
            var expected = reference.Heads.Interact(queryExpected, passageExpected, (int)branch).Logit;
            Assert.InRange(logits[i], expected - Tolerance, expected + Tolerance);
        }
    }

    [Fact]
    public void EncodeQueries_ManifestQueryPrefix_EncodesPrefixThenText()
    {
        var prefixed = Path.Combine(_temp.Path, "prefixed");
        var manifest = RandomBundle.Write(prefixed, Settings with { Query = Settings.Query with { Prefix = QueryPrefix } });
        using var model = StudentModel.Load(prefixed, Cpu);

        var query = model.EncodeQueries(["cats"], TestContext.Current.CancellationToken);
        var passage = model.EncodePassages(["cats"], TestContext.Current.CancellationToken);

        var reference = Reference(prefixed, manifest);
        var noPrefix = Settings.Query;
        Assert.Equal(QueryPrefix, manifest.Query.Prefix);
        Close.Assert(reference.Embed(QueryPrefix + "cats", noPrefix), query, Tolerance);
        Close.Assert(reference.Embed("cats", manifest.Passage), passage.Embeddings, Tolerance);
    }

    private static StudentModelOptions Cpu => new() { PreferGpu = false };

    private static Embedder Reference(string bundle, ModelManifest manifest)
    {
        // The same seeded weights the bundle was written from, through the plain double-precision references.
        var backbone = BertWeights.CreateRandom(manifest.Backbone, Seed);
        var heads = StudentHeadWeights.CreateRandom(manifest.Heads, Seed);
        var tokenizer = TextTokenizer.Load(Path.Combine(bundle, manifest.TokenizerDirectory), manifest.Tokenizer);
        return new Embedder(manifest, backbone, new ReferenceHeads(heads, manifest.Heads.Dim, manifest.Heads.PmaHeads, manifest.Heads.IemHidden), tokenizer);
    }

    private sealed record Embedder(ModelManifest Manifest, Weights.WeightSet Backbone, ReferenceHeads Heads, TextTokenizer Tokenizer)
    {
        /// <summary>The reference embedding of <paramref name="text"/> as given (any prefix already in it).</summary>
        public double[] Embed(string text, TextLimits limits)
        {
            var ids = Tokenizer.Encode(text, limits.MaxTokens, 0).Select(id => (long)id).ToArray();
            var hidden = ReferenceBert.Forward(Manifest.Backbone, Backbone, ids);
            return Heads.Pool(hidden, hidden.Length);
        }
    }
}
