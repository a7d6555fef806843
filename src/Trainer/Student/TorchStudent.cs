using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.Trainer.Backbones;
using static TorchSharp.torch;

namespace Rerank.Trainer.Student;

/// <summary>
/// The D2LLM student in TorchSharp: backbone (with LoRA, merged or not) + PMA + IEM, encoding texts the way a bundle's
/// <see cref="StudentModel"/> does and scoring with the IEM on [q ; p]. What <c>rerank-train score</c> runs and what
/// training will call. Not thread-safe; disposing it disposes the backbone and the heads.
/// </summary>
/// <remarks>
/// Encoding (the bundle's rules, docs/model-runtime.md):
/// 1. each text is cut to <see cref="TextLimits.MaxChars"/> characters, given the limits' <see cref="TextLimits.Prefix"/>
///    if any (no other prompt), tokenized and cut to <see cref="TextLimits.MaxTokens"/> tokens by src/Model's
///    <see cref="TextTokenizer"/>, the serving tokenizer (<c>TextLimits.Prepare</c>, as the bundle's encoder does);
/// 2. texts are run in batches of <see cref="BatchSize"/> in input order, each right-padded to its longest text with
///    the pad id and mask 0;
/// 3. the backbone's last hidden state goes through PMA in float32 (padded keys masked), giving y^agg <c>[n, d]</c>;
///    with the cosine term (<c>StudentHeadsConfig.CosinePooling</c>) followed by the same states pooled that way
///    and L2-normalised, <c>[n, 2d]</c> (<see cref="StudentHeads.Embed"/>, the bundle's <c>embedding</c>).
/// </remarks>
internal sealed class TorchStudent : IDisposable
{
    public TorchStudent(BackboneModel backbone, StudentHeads heads, TextTokenizer tokenizer, TextLimits query, TextLimits passage)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(passage);
        if (heads.Config.Dim != backbone.Config.HiddenSize)
        {
            throw new ArgumentException($"PMA width {heads.Config.Dim} differs from the backbone's hidden size {backbone.Config.HiddenSize}.", nameof(heads));
        }

        Backbone = backbone;
        Heads = heads;
        Tokenizer = tokenizer;
        QueryLimits = query;
        PassageLimits = passage;
    }

    public BackboneModel Backbone { get; }

    public StudentHeads Heads { get; }

    public TextTokenizer Tokenizer { get; }

    public TextLimits QueryLimits { get; }

    public TextLimits PassageLimits { get; }

    /// <summary>Texts per backbone call (default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Query embeddings, float32 <c>[n, EmbeddingDim]</c>, under the query limits.</summary>
    public Tensor EncodeQueries(IReadOnlyList<string> texts) => Encode(texts, QueryLimits);

    /// <summary>Passage embeddings, float32 <c>[n, EmbeddingDim]</c>, under the passage limits.</summary>
    public Tensor EncodePassages(IReadOnlyList<string> texts) => Encode(texts, PassageLimits);

    /// <summary>Embeddings of <paramref name="texts"/> (see the remarks), float32 <c>[n, EmbeddingDim]</c>; gradients flow when enabled.</summary>
    public Tensor Encode(IReadOnlyList<string> texts, TextLimits limits)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        using var scope = NewDisposeScope();
        var device = Heads.Pma.parameters().First().device;

        // Step 1.
        var tokens = texts.Select(t => Tokenizer.Encode(limits.Prepare(t), limits.MaxTokens, maxChars: 0)).ToArray();
        var pooled = new List<Tensor>();
        for (var start = 0; start < tokens.Length; start += BatchSize)
        {
            // Step 2.
            var batch = tokens.AsSpan(start, Math.Min(BatchSize, tokens.Length - start));
            var length = 0;
            foreach (var text in batch)
            {
                length = Math.Max(length, text.Length);
            }

            var ids = new long[batch.Length * length];
            var mask = new long[ids.Length];
            for (var row = 0; row < batch.Length; row++)
            {
                Array.Fill(ids, Tokenizer.PadId, row * length, length);
                for (var t = 0; t < batch[row].Length; t++)
                {
                    ids[(row * length) + t] = batch[row][t];
                    mask[(row * length) + t] = 1;
                }
            }

            var idsTensor = tensor(ids, [batch.Length, length], device: device);
            var maskTensor = tensor(mask, [batch.Length, length], device: device);

            // Step 3.
            pooled.Add(Heads.Embed(Backbone.call(idsTensor, maskTensor), maskTensor));
        }

        var dim = Heads.Config.EmbeddingDim;
        return (pooled.Count == 0 ? zeros(0, dim, dtype: ScalarType.Float32, device: device) : cat(pooled, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The student's logits z^S for <paramref name="passages"/> against <paramref name="query"/> on one branch, input
    /// order, in evaluation mode without gradients (LoRA dropout off).
    /// </summary>
    public float[] Score(string query, IReadOnlyList<string> passages, StudentBranch branch)
    {
        ArgumentNullException.ThrowIfNull(passages);
        Backbone.eval();
        Heads.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var q = EncodeQueries([query]);
        var p = EncodePassages(passages);
        var (logits, _) = Heads.Interact(q.expand(p.shape[0], -1), p, branch);
        return logits.cpu().data<float>().ToArray();
    }

    public void Dispose()
    {
        Backbone.Dispose();
        Heads.Dispose();
    }
}
