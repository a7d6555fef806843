using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Bundle;
using Rerank.Model.Tokenization;
using static Rerank.Model.Graphs.StudentGraphNames;

namespace Rerank.Model.Runtime;

/// <summary>
/// Texts to pooled embeddings through the encoder graph, in length-sorted batches with dynamic right padding.
/// Thread-safe: every call rents its own buffers.
/// </summary>
/// <remarks>
/// 1. Tokenize each text: cut to the limit's characters, put its prefix before it, tokenize, cut to its tokens
///    (<see cref="TextLimits.Prepare"/>).
/// 2. Order the texts by token count so a batch pads to its own longest member, not the call's.
/// 3. Per batch: fill ids and mask (pad id, mask 0 after the text), run, and copy each row to its text's position.
/// Padding never changes an embedding: a decoder backbone is causal with right padding, BERT masks padded keys, and
/// PMA and mean pooling ignore padded rows.
/// </remarks>
internal sealed class TextEncoder : IDisposable
{
    private static readonly string[] InputNames = [InputIds, AttentionMask];
    private static readonly string[] OutputNames = [Embedding];

    private readonly InferenceSession _session;
    private readonly TextTokenizer _tokenizer;
    private readonly int _batchSize;
    private readonly RunOptions _runOptions = new();

    public TextEncoder(InferenceSession session, TextTokenizer tokenizer, int dim, int batchSize)
    {
        _session = session;
        _tokenizer = tokenizer;
        Dim = dim;
        _batchSize = batchSize;
    }

    public int Dim { get; }

    /// <summary>Writes one embedding per text (<c>texts.Count * Dim</c> floats, text order) into <paramref name="embeddings"/>.</summary>
    public void Encode(IReadOnlyList<string> texts, TextLimits limits, Span<float> embeddings, CancellationToken cancellationToken)
    {
        if (embeddings.Length != texts.Count * Dim)
        {
            throw new ArgumentException($"embeddings holds {embeddings.Length} floats; {texts.Count * Dim} expected.", nameof(embeddings));
        }

        // Steps 1 and 2.
        var tokens = new int[texts.Count][];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = _tokenizer.Encode(limits.Prepare(texts[i]), limits.MaxTokens, maxChars: 0);
        }

        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ThenBy(i => i).ToArray();

        // Step 3.
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_batchSize, order.Length - start));
            RunBatch(tokens, batch, embeddings);
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private void RunBatch(int[][] tokens, ReadOnlySpan<int> batch, Span<float> embeddings)
    {
        var rows = batch.Length;
        var length = 0;
        foreach (var index in batch)
        {
            length = Math.Max(length, tokens[index].Length);
        }

        var ids = ArrayPool<long>.Shared.Rent(rows * length);
        var mask = ArrayPool<long>.Shared.Rent(rows * length);
        var output = ArrayPool<float>.Shared.Rent(rows * Dim);
        try
        {
            for (var row = 0; row < rows; row++)
            {
                var text = tokens[batch[row]];
                var idRow = ids.AsSpan(row * length, length);
                var maskRow = mask.AsSpan(row * length, length);
                for (var t = 0; t < text.Length; t++)
                {
                    idRow[t] = text[t];
                }

                idRow[text.Length..].Fill(_tokenizer.PadId);
                maskRow[..text.Length].Fill(1);
                maskRow[text.Length..].Clear();
            }

            long[] shape = [rows, length];
            using var idValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, rows * length), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, rows * length), shape);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, rows * Dim), [rows, Dim]);
            _session.Run(_runOptions, InputNames, [idValue, maskValue], OutputNames, [outputValue]);

            for (var row = 0; row < rows; row++)
            {
                output.AsSpan(row * Dim, Dim).CopyTo(embeddings.Slice(batch[row] * Dim, Dim));
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<float>.Shared.Return(output);
        }
    }
}
