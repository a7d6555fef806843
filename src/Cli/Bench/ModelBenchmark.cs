using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;

namespace Rerank.Cli.Bench;

/// <summary>
/// <c>rerank bench model</c>: a bundle built on a packaged encoder (the starter) against that package's own ONNX export,
/// both on ONNX Runtime with the same options, in one process, alternating round by round so both see the same machine.
/// </summary>
/// <remarks>
/// 1. Query: each query alone (batch 1) through the bundle's encoder, and through the export (pooled as its package does, normalised:
///    what a user of the plain bi-encoder computes); latency percentiles of each.
/// 2. Per query cost: encode + score a window of <c>window</c> stored candidates. The student: its encoder, then the
///    factorised scorer over stored projections. The cosine baseline: the export, then dot products with stored unit
///    embeddings.
/// 3. Passages: the same passages (title and text) through the bundle's passage path (embedding and projection, what
///    ingest computes) and through the export (embedding), both tokenized under the bundle's passage limits in
///    length-sorted batches of the same size.
/// </remarks>
internal sealed class ModelBenchmark(StudentModel model, PretrainedEncoder encoder, StudentModelOptions options) : IDisposable
{
    private readonly TextTokenizer _tokenizer = TextTokenizer.Load(model.Bundle.TokenizerPath, model.Bundle.Manifest.Tokenizer);
    private readonly InferenceSession _raw = new OnnxSessionFactory(options, NullLogger.Instance)
        .Open(PretrainedPackages.ReadResource(encoder, encoder.ModelResource), encoder.ModelResource);

    private ModelManifest Manifest => model.Bundle.Manifest;

    private int Hidden => Manifest.Backbone.HiddenSize;

    public void Dispose() => _raw.Dispose();

    /// <summary>Step 1 and 2: per-query latencies (ms) of encoding alone and of encode + score, student and baseline.</summary>
    public (List<double> StudentEncode, List<double> RawEncode, List<double> StudentQuery, List<double> CosineQuery) Queries(
        IReadOnlyList<string> queries, int window, CancellationToken cancellationToken)
    {
        // Stored candidates: any vectors of the right widths serve (the cost does not depend on their values).
        var random = new Random(1);
        var projections = new float[window * model.ProjectionDim];
        var units = new float[window * Hidden];
        for (var i = 0; i < projections.Length; i++)
        {
            projections[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < units.Length; i++)
        {
            units[i] = (float)random.NextDouble();
        }

        var logits = new float[window];
        var scores = new float[window];
        var result = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var clock = new Stopwatch();
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Restart();
            var embedding = model.EncodeQueries([query], cancellationToken);
            result.Item1.Add(clock.Elapsed.TotalMilliseconds);
            model.Score(embedding, projections, StudentBranch.Asymmetric, logits);
            result.Item3.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            var unit = RawEncode([query], Manifest.Query);
            result.Item2.Add(clock.Elapsed.TotalMilliseconds);
            for (var c = 0; c < window; c++)
            {
                scores[c] = Dot(unit, units.AsSpan(c * Hidden, Hidden));
            }

            result.Item4.Add(clock.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    /// <summary>Step 3, the student's side: seconds to encode and project <paramref name="passages"/>.</summary>
    public double StudentPassages(IReadOnlyList<string> passages, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        model.EncodePassages(passages, cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Step 3, the export's side: seconds to embed <paramref name="passages"/>.</summary>
    public double RawPassages(IReadOnlyList<string> passages)
    {
        var clock = Stopwatch.StartNew();
        RawEncode(passages, Manifest.Passage);
        return clock.Elapsed.TotalSeconds;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>The export's pooled (the package's pooling), normalised embeddings, in length-sorted batches as the bundle's encoder runs.</summary>
    private float[] RawEncode(IReadOnlyList<string> texts, TextLimits limits)
    {
        var tokens = texts.Select(t => _tokenizer.Encode(limits.Prepare(t), limits.MaxTokens, maxChars: 0)).ToArray();
        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ThenBy(i => i).ToArray();
        var embeddings = new float[texts.Count * Hidden];
        var batchSize = options.EncoderBatchSize;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var length = batch.Max(i => tokens[i].Length);
            var ids = new long[batch.Length * length];
            var mask = new long[ids.Length];
            for (var row = 0; row < batch.Length; row++)
            {
                Array.Fill(ids, _tokenizer.PadId, row * length, length);
                for (var t = 0; t < tokens[batch[row]].Length; t++)
                {
                    ids[(row * length) + t] = tokens[batch[row]][t];
                    mask[(row * length) + t] = 1;
                }
            }

            using var idValue = OrtValue.CreateTensorValueFromMemory(ids, [batch.Length, length]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch.Length, length]);
            using var typeValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], [batch.Length, length]);
            using var outputs = _raw.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idValue, maskValue, typeValue], ["last_hidden_state"]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            for (var row = 0; row < batch.Length; row++)
            {
                var target = embeddings.AsSpan(batch[row] * Hidden, Hidden);
                var count = encoder.Pooling == EmbeddingPooling.Cls ? 1 : tokens[batch[row]].Length;
                for (var t = 0; t < count; t++)
                {
                    var state = hidden.Slice(((row * length) + t) * Hidden, Hidden);
                    for (var c = 0; c < Hidden; c++)
                    {
                        target[c] += state[c];
                    }
                }

                // The mean's 1/count cancels in the normalisation.
                var norm = MathF.Sqrt(Dot(target, target));
                for (var c = 0; c < Hidden; c++)
                {
                    target[c] /= norm;
                }
            }
        }

        return embeddings;
    }
}
