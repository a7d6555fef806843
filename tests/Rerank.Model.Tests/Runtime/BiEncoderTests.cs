using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tests.Graphs;
using Rerank.Model.Tokenization;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Runtime;

/// <summary>
/// The bi-encoder runtime on a tiny random BERT with a character-level WordPiece vocabulary and the <c>[CLS] text
/// [SEP]</c> template; expected embeddings come from <see cref="ReferenceBert"/> pooled and normalised by hand.
/// </summary>
public sealed class BiEncoderTests : IDisposable
{
    private const int Seed = 31;
    private static readonly TextLimits Limits = new() { MaxTokens = 40, MaxChars = 200 };

    private readonly TempDirectory _temp = new();
    private readonly TextTokenizer _tokenizer;
    private readonly BackboneConfig _config;
    private readonly WeightSet _weights;

    public BiEncoderTests()
    {
        var vocabulary = new RandomBundleSettings().BuildVocabulary();
        WordPieceVocabularyBuilder.Write(vocabulary, Path.Combine(_temp.Path, "vocab.txt"));
        _tokenizer = TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            BosToken = "[CLS]",
            EosToken = "[SEP]",
            PadToken = "[PAD]",
            AddBos = true,
            AddEos = true,
        });
        _config = BertGraphTests.Tiny with { VocabSize = vocabulary.Count, MaxPositionEmbeddings = 64 };
        _weights = BertWeights.CreateRandom(_config, Seed);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(EmbeddingPooling.Mean)]
    [InlineData(EmbeddingPooling.Cls)]
    public void Encode_MixedLengthBatches_MatchReferenceAndHaveUnitLength(EmbeddingPooling pooling)
    {
        string[] texts = ["what binds quarks?", "a", "", "the quick brown fox jumps over the lazy dog", "Gluons."];
        using var encoder = Create(pooling, batchSize: 2);

        var embeddings = encoder.Encode(texts, TestContext.Current.CancellationToken);

        Assert.Equal(texts.Length * _config.HiddenSize, embeddings.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var row = embeddings.AsSpan(i * encoder.Dim, encoder.Dim);
            var ids = _tokenizer.Encode(texts[i], Limits.MaxTokens, Limits.MaxChars).Select(id => (long)id).ToArray();
            Assert.Equal(2, ids[0]); // [CLS]
            Assert.Equal(3, ids[^1]); // [SEP]
            var expected = PoolingGraphTests.PoolAndNormalize(ReferenceBert.Forward(_config, _weights, ids), pooling);
            Close.Assert(expected, row, 1e-5);
            var norm = Math.Sqrt(row.ToArray().Sum(v => (double)v * v));
            Assert.InRange(norm, 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void Encode_Prefix_IsPutBeforeTheCharacterCutText()
    {
        // "hello world" cut to 5 characters is "hello"; the prefix comes after the cut, so it costs no characters.
        using var encoder = Create(EmbeddingPooling.Mean);

        var prefixed = encoder.Encode(["hello world"], Limits with { MaxChars = 5, Prefix = "query: " }, TestContext.Current.CancellationToken);
        var spelledOut = encoder.Encode(["query: hello"], Limits with { MaxChars = 0 }, TestContext.Current.CancellationToken);
        var withoutPrefix = encoder.Encode(["hello"], Limits, TestContext.Current.CancellationToken);

        Assert.Equal(spelledOut, prefixed);
        Assert.NotEqual(withoutPrefix, prefixed);
    }

    [Fact]
    public void Encode_Prefix_CountsTowardsMaxTokens()
    {
        // [CLS] a b [SEP]: four tokens leave room for two of the prefix's and none of the text's.
        using var encoder = Create(EmbeddingPooling.Mean);

        var prefixed = encoder.Encode(["zzz"], new TextLimits { MaxTokens = 4, Prefix = "a b c d " }, TestContext.Current.CancellationToken);
        var expected = encoder.Encode(["a b"], Limits, TestContext.Current.CancellationToken);

        Assert.Equal(expected, prefixed);
    }

    [Fact]
    public void Encode_NoTexts_ReturnsEmpty()
    {
        using var encoder = Create(EmbeddingPooling.Cls);

        Assert.Empty(encoder.Encode([], TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Constructor_MaxTokensBeyondPositions_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new BiEncoder(_config, _weights, _tokenizer, Limits with { MaxTokens = 65 }, EmbeddingPooling.Mean, Cpu(32)));

        Assert.Contains("maxTokens 65", error.Message);
        Assert.Contains("max_position_embeddings 64", error.Message);
    }

    [Fact]
    public void Constructor_MissingWeight_ThrowsNamingIt()
    {
        const string Name = "encoder.layer.0.attention.self.key.bias";
        var weights = new WeightSet(_weights.Tensors.Where(t => t.Name != Name));

        var error = Assert.Throws<InvalidDataException>(() => new BiEncoder(_config, weights, _tokenizer, Limits, EmbeddingPooling.Mean, Cpu(32)));

        Assert.Contains($"'{Name}'", error.Message);
    }

    private static StudentModelOptions Cpu(int batchSize) => new() { PreferGpu = false, EncoderBatchSize = batchSize };

    private BiEncoder Create(EmbeddingPooling pooling, int batchSize = 32) =>
        new(_config, _weights, _tokenizer, Limits, pooling, Cpu(batchSize));
}
