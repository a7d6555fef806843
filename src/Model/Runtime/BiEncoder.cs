using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Graphs;
using Rerank.Model.Tokenization;
using Rerank.Model.Weights;

namespace Rerank.Model.Runtime;

/// <summary>
/// A plain bi-encoder over a backbone checkpoint: texts to L2-normalised pooled embeddings
/// (<see cref="StudentGraphs.BuildBiEncoder"/>), so that the dot product of two of them is their cosine. What the cosine
/// baseline reranks with. Thread-safe; dispose it to free the ONNX session.
/// </summary>
/// <remarks>
/// The graph is built in memory from the weights and run through the same <see cref="TextEncoder"/> as a bundle's
/// encoder: length-sorted batches of <see cref="StudentModelOptions.EncoderBatchSize"/> texts with right padding, which
/// never changes an embedding (padded keys are masked, mean pooling counts real tokens only).
/// </remarks>
internal sealed class BiEncoder : IDisposable
{
    private readonly TextEncoder _encoder;
    private readonly int _maxPositions;

    /// <summary>Builds the graph and opens its session.</summary>
    /// <param name="config">The backbone's shape (BERT or a decoder).</param>
    /// <param name="weights">Every parameter the backbone's graph reads (LoRA already merged).</param>
    /// <param name="tokenizer">The backbone's tokenizer (for BERT: WordPiece, <c>[CLS] text [SEP]</c>).</param>
    /// <param name="limits">The limits <see cref="Encode(IReadOnlyList{string}, CancellationToken)"/> applies.</param>
    /// <param name="pooling">Mean over real tokens or the first token, before normalisation.</param>
    /// <param name="options">Provider, threads and batch size, as for <see cref="StudentModel"/>.</param>
    /// <param name="logger">Receives the provider choice; null for none.</param>
    /// <exception cref="ArgumentException">The config is invalid, or a limit's tokens exceed the backbone's positions.</exception>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape, or ONNX Runtime rejects the graph.</exception>
    public BiEncoder(
        BackboneConfig config,
        WeightSet weights,
        TextTokenizer tokenizer,
        TextLimits limits,
        EmbeddingPooling pooling,
        StudentModelOptions? options = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(limits);
        options ??= new StudentModelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EncoderBatchSize, 1, nameof(options));
        _maxPositions = config.MaxPositionEmbeddings;
        ThrowIfTooLong(limits);
        if (tokenizer.VocabularySize > config.VocabSize)
        {
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids but the backbone's embedding only {config.VocabSize} rows.", nameof(tokenizer));
        }

        var model = StudentGraphs.BuildBiEncoder(config, weights, pooling).ToByteArray();
        var factory = new OnnxSessionFactory(options, logger ?? NullLogger.Instance);
        var session = factory.Open(model, "the bi-encoder graph");
        _encoder = new TextEncoder(session, tokenizer, config.HiddenSize, options.EncoderBatchSize);
        Limits = limits;
        Pooling = pooling;
        Provider = factory.Provider;
    }

    /// <summary>The width of an embedding: the backbone's hidden size.</summary>
    public int Dim => _encoder.Dim;

    /// <summary>The limits given at creation.</summary>
    public TextLimits Limits { get; }

    public EmbeddingPooling Pooling { get; }

    /// <summary>The execution provider the session runs on.</summary>
    public ExecutionProviderKind Provider { get; }

    /// <summary>One unit-length embedding per text (<c>texts.Count * Dim</c> floats, input order) under <see cref="Limits"/>.</summary>
    public float[] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        Encode(texts, Limits, cancellationToken);

    /// <summary>
    /// One unit-length embedding per text (<c>texts.Count * Dim</c> floats, input order) under
    /// <paramref name="limits"/>: the text cut to its characters, its prefix put before it, then at most its tokens.
    /// </summary>
    public float[] Encode(IReadOnlyList<string> texts, TextLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(limits);
        ThrowIfTooLong(limits);
        var embeddings = new float[texts.Count * Dim];
        _encoder.Encode(texts, limits, embeddings, cancellationToken);
        return embeddings;
    }

    public void Dispose() => _encoder.Dispose();

    private void ThrowIfTooLong(TextLimits limits)
    {
        if (limits.MaxTokens < 1 || limits.MaxTokens > _maxPositions)
        {
            throw new ArgumentException($"maxTokens {limits.MaxTokens} must be between 1 and the backbone's max_position_embeddings {_maxPositions}.", nameof(limits));
        }
    }
}
