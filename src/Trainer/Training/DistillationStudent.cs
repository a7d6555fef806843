using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Student;
using static TorchSharp.torch;

namespace Rerank.Trainer.Training;

/// <summary>
/// The student as training runs it: the backbone (LoRA attached, or frozen behind a <see cref="FrozenStateCache"/>), the
/// pooling and interaction of the chosen ablation, and the float32 heads. Texts are looked up by key (<c>q/{id}</c>,
/// <c>p/{id}</c>), cut and tokenized as <see cref="TorchStudent"/> does (bare text, the student's limits, right padding).
/// The owner disposes the backbone, heads and cache.
/// </summary>
internal sealed class DistillationStudent(
    BackboneModel backbone,
    LoraAdapter? adapter,
    StudentHeads heads,
    TextTokenizer tokenizer,
    FrozenStateCache? cache,
    TrainingOptions options)
{
    public BackboneModel Backbone { get; } = backbone;

    public LoraAdapter? Adapter { get; } = adapter;

    public StudentHeads Heads { get; } = heads;

    public FrozenStateCache? Cache { get; } = cache;

    public Device Device => Heads.parameters().First().device;

    /// <summary>Training mode (LoRA dropout on) or evaluation mode; a frozen backbone is always in evaluation mode.</summary>
    public void SetTraining(bool training)
    {
        Heads.train(training);
        Backbone.train(training && Cache is null);
    }

    /// <summary>
    /// y^agg of the texts <paramref name="items"/> (key, text, limits), <c>[n, d]</c> float32 (with the cosine term
    /// <c>[n, 2d]</c>: [y^agg ; unit], see <see cref="Pool"/>), in input order; gradients flow where enabled.
    /// </summary>
    public Tensor Encode(IReadOnlyList<(string Key, string Text, TextLimits Limits)> items)
    {
        using var scope = NewDisposeScope();
        var pooled = new List<Tensor>();
        for (var start = 0; start < items.Count; start += options.TextBatch)
        {
            var batch = items.Skip(start).Take(options.TextBatch).ToList();
            Tensor hidden, mask;
            if (Cache is not null)
            {
                (hidden, mask) = Cache.Batch([.. batch.Select(b => b.Key)], Device);
            }
            else
            {
                var tokens = batch.Select(b => tokenizer.Encode(b.Limits.Prepare(b.Text), b.Limits.MaxTokens, maxChars: 0)).ToList();
                var length = tokens.Max(t => t.Length);
                var ids = new long[tokens.Count * length];
                var maskValues = new long[ids.Length];
                for (var row = 0; row < tokens.Count; row++)
                {
                    Array.Fill(ids, tokenizer.PadId, row * length, length);
                    for (var t = 0; t < tokens[row].Length; t++)
                    {
                        ids[(row * length) + t] = tokens[row][t];
                        maskValues[(row * length) + t] = 1;
                    }
                }

                mask = tensor(maskValues, [tokens.Count, length], device: Device);
                hidden = Backbone.call(tensor(ids, [tokens.Count, length], device: Device), mask);
            }

            pooled.Add(Pool(hidden.to(ScalarType.Float32), mask));
        }

        return cat(pooled, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pools <c>[n, seq, d]</c> float32 states with a right-padded mask <c>[n, seq]</c> to <c>[n, d]</c> (PMA, or the
    /// mean / last-token ablation); with the cosine term the same states' <see cref="StudentHeads.CosineUnit"/> follows,
    /// giving <c>[n, 2d]</c> (cached frozen states serve both halves).
    /// </summary>
    public Tensor Pool(Tensor hidden, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var n = hidden.shape[0];
        var d = hidden.shape[2];
        var weights = mask.ne(0).to(ScalarType.Float32);
        var pooled = options.Pooling switch
        {
            StudentPooling.Pma => Heads.Pool(hidden, mask),
            StudentPooling.Mean => (hidden * weights.unsqueeze(-1)).sum(1) / weights.sum(1, keepdim: true).clamp_min(1),
            StudentPooling.LastToken => hidden.gather(1, (weights.sum(1).to(ScalarType.Int64) - 1).clamp_min(0).view(n, 1, 1).expand(n, 1, d)).squeeze(1),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Pooling, null),
        };
        if (Heads.Config.CosinePooling is not null)
        {
            pooled = cat([pooled, Heads.CosineUnit(hidden, mask)], 1);
        }

        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>Logits <c>[n]</c> and pair features <c>[n, f]</c> of row-aligned pairs <c>[n, d]</c> (IEM: y^S; cosine: q/|q| * p/|p|).</summary>
    public (Tensor Logits, Tensor Features) Interact(Tensor query, Tensor passage, StudentBranch branch)
    {
        if (options.Interaction == StudentInteraction.Iem)
        {
            return Heads.Interact(query, passage, branch);
        }

        using var scope = NewDisposeScope();
        var features = nn.functional.normalize(query, p: 2, dim: -1, eps: 1e-12) * nn.functional.normalize(passage, p: 2, dim: -1, eps: 1e-12);
        var logits = features.sum(-1) / options.CosineTemperature;
        return (logits.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }
}
