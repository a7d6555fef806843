using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.Model.Bundle;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Runtime;

/// <summary>
/// The D2LLM student at inference, loaded from a model bundle: encode queries, encode passages (embedding and u_p),
/// and score K candidates per branch with the factorised IEM. Thread-safe; dispose it to free the ONNX sessions.
/// </summary>
public sealed class StudentModel : IDisposable
{
    private readonly TextEncoder _encoder;
    private readonly InteractionScorer _scorer;

    private StudentModel(ModelBundle bundle, TextEncoder encoder, InteractionScorer scorer, ExecutionProviderKind provider)
    {
        Bundle = bundle;
        _encoder = encoder;
        _scorer = scorer;
        Provider = provider;
    }

    public ModelBundle Bundle { get; }

    public string ModelId => Bundle.ModelId;

    /// <summary>The width of query and passage embeddings: d, or 2d with the cosine term ([PMA output ; normalised pooled state]).</summary>
    public int Dim => _encoder.Dim;

    /// <summary>The width of a stored passage projection: H (u_p), or H + d with the cosine term ([u_p ; p^]).</summary>
    public int ProjectionDim => _scorer.Hidden;

    /// <summary>The execution provider the sessions run on.</summary>
    public ExecutionProviderKind Provider { get; }

    /// <summary>Loads and checks the bundle in <paramref name="directory"/> and opens its sessions.</summary>
    /// <exception cref="ModelBundleException">The bundle is not valid; the message names each file and field.</exception>
    public static StudentModel Load(string directory, StudentModelOptions? options = null, ILogger? logger = null)
    {
        options ??= new StudentModelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EncoderBatchSize, 1, nameof(options));
        var bundle = ModelBundle.Load(directory);
        var manifest = bundle.Manifest;
        TextTokenizer tokenizer;
        try
        {
            tokenizer = TextTokenizer.Load(bundle.TokenizerPath, manifest.Tokenizer);
        }
        catch (InvalidDataException exception)
        {
            throw new ModelBundleException(bundle.Directory, [$"{manifest.TokenizerDirectory}: {exception.Message}"]);
        }

        var factory = new OnnxSessionFactory(options, logger ?? NullLogger.Instance);
        var sessions = new List<IDisposable>();
        try
        {
            var encoderSession = Open(factory, bundle, bundle.EncoderPath, sessions);
            var projection = Open(factory, bundle, bundle.PassageProjectionPath, sessions);
            var scorerSession = Open(factory, bundle, bundle.ScorerPath, sessions);
            var encoder = new TextEncoder(encoderSession, tokenizer, manifest.Heads.EmbeddingDim, options.EncoderBatchSize);
            var scorer = new InteractionScorer(projection, scorerSession, manifest.Heads.EmbeddingDim, manifest.Heads.ProjectionDim);
            return new StudentModel(bundle, encoder, scorer, factory.Provider);
        }
        catch
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            throw;
        }
    }

    /// <summary>One embedding per query (<c>texts.Count * Dim</c> floats, input order), under the manifest's query limits.</summary>
    public float[] EncodeQueries(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var embeddings = new float[texts.Count * Dim];
        _encoder.Encode(texts, Bundle.Manifest.Query, embeddings, cancellationToken);
        return embeddings;
    }

    /// <summary>Embeddings and projections u_p for passages (input order), under the manifest's passage limits.</summary>
    public PassageEncoding EncodePassages(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var embeddings = new float[texts.Count * Dim];
        _encoder.Encode(texts, Bundle.Manifest.Passage, embeddings, cancellationToken);
        var projections = new float[texts.Count * ProjectionDim];
        _scorer.Project(embeddings, texts.Count, projections);
        return new PassageEncoding(texts.Count, Dim, ProjectionDim, embeddings, projections);
    }

    /// <summary>u_p for passage embeddings already computed (<c>count * Dim</c> floats) into <paramref name="projections"/>.</summary>
    public void ProjectPassages(ReadOnlyMemory<float> embeddings, Memory<float> projections) =>
        _scorer.Project(embeddings, embeddings.Length / Dim, projections);

    /// <summary>
    /// Scores the candidates whose projections are concatenated in <paramref name="projections"/>
    /// (<c>K * ProjectionDim</c> floats) against one query embedding; writes K logits, candidate order, to
    /// <paramref name="logits"/>. Copies nothing: inputs and outputs are read and written in place.
    /// </summary>
    public void Score(ReadOnlyMemory<float> queryEmbedding, ReadOnlyMemory<float> projections, StudentBranch branch, Memory<float> logits) =>
        _scorer.Score(queryEmbedding, projections, logits.Length, branch, logits);

    public void Dispose()
    {
        _encoder.Dispose();
        _scorer.Dispose();
    }

    private static Microsoft.ML.OnnxRuntime.InferenceSession Open(OnnxSessionFactory factory, ModelBundle bundle, string path, List<IDisposable> opened)
    {
        try
        {
            var session = factory.Open(path);
            opened.Add(session);
            return session;
        }
        catch (InvalidDataException exception)
        {
            throw new ModelBundleException(bundle.Directory, [$"{Path.GetRelativePath(bundle.Directory, path)}: {exception.Message}"]);
        }
    }
}
