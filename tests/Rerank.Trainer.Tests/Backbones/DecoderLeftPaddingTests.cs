using Rerank.Model.Architecture;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Backbones;

/// <summary>
/// <see cref="DecoderModel.ForwardLeftPadded"/>: each row of a left-padded batch gets what the same sequence gets alone and
/// unpadded (the right-padded forward with no padding at all), and a row of nothing but padding stays finite.
/// </summary>
public sealed class DecoderLeftPaddingTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-5;

    private static readonly RandomCheckpointSettings Llama = new()
    {
        Architecture = BackboneArchitecture.Llama, Layers = 2, Hidden = 64, Heads = 4, KeyValueHeads = 2, Intermediate = 96, MaxPositionEmbeddings = 64, Seed = 31,
    };

    private static readonly RandomCheckpointSettings Qwen2 = new()
    {
        Architecture = BackboneArchitecture.Qwen2, Layers = 2, Hidden = 64, Heads = 8, KeyValueHeads = 2, Intermediate = 112, MaxPositionEmbeddings = 64, TieWordEmbeddings = true, Seed = 32,
    };

    private static readonly long[][] Sequences = [[5, 9, 14, 2, 33, 21, 40], [7, 19, 4], [12, 48, 6, 27, 3], [8]];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(BackboneArchitecture.Llama)]
    [InlineData(BackboneArchitecture.Qwen2)]
    public void ForwardLeftPadded_EveryRow_EqualsTheSequenceAloneUnpadded(BackboneArchitecture architecture)
    {
        RandomCheckpoint.Write(_temp.Path, architecture == BackboneArchitecture.Llama ? Llama : Qwen2);
        using var model = DecoderModel.Load(_temp.Path);
        model.eval();
        using var noGrad = no_grad();
        var d = model.Config.HiddenSize;
        var seq = Sequences.Max(s => s.Length);
        var (ids, mask) = LeftPadded(Sequences, seq, padId: 1);

        using var idsTensor = tensor(ids, [Sequences.Length, seq]);
        using var maskTensor = tensor(mask, [Sequences.Length, seq]);
        using var batched = model.ForwardLeftPadded(idsTensor, maskTensor);
        var batchedValues = batched.data<float>().ToArray();

        var worstLast = 0.0;
        var worstAny = 0.0;
        for (var b = 0; b < Sequences.Length; b++)
        {
            var n = Sequences[b].Length;
            using var aloneIds = tensor(Sequences[b], [1, n]);
            using var aloneMask = ones_like(aloneIds);
            using var alone = model.call(aloneIds, aloneMask);
            var aloneValues = alone.data<float>().ToArray();
            for (var t = 0; t < n; t++)
            {
                // Real token t of row b sits at column seq - n + t of the padded batch.
                var column = seq - n + t;
                for (var c = 0; c < d; c++)
                {
                    var diff = Math.Abs(batchedValues[(((b * seq) + column) * d) + c] - aloneValues[(t * d) + c]);
                    worstAny = Math.Max(worstAny, diff);
                    worstLast = t == n - 1 ? Math.Max(worstLast, diff) : worstLast;
                }
            }
        }

        output.WriteLine($"{architecture}: last position max |batched - alone| = {worstLast:E2}, every real position {worstAny:E2}");
        Assert.True(worstLast <= Tolerance, $"last position: {worstLast:E2} > {Tolerance:E0}");
        Assert.True(worstAny <= Tolerance, $"real positions: {worstAny:E2} > {Tolerance:E0}");
        Assert.DoesNotContain(batchedValues, v => !float.IsFinite(v));
    }

    [Theory]
    [InlineData(BackboneArchitecture.Llama)]
    [InlineData(BackboneArchitecture.Qwen2)]
    public void ForwardLeftPadded_PurePadRow_IsFiniteAndLeavesTheOtherRowAlone(BackboneArchitecture architecture)
    {
        RandomCheckpoint.Write(_temp.Path, architecture == BackboneArchitecture.Llama ? Llama : Qwen2);
        using var model = DecoderModel.Load(_temp.Path);
        model.eval();
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 1, 1, 1, 1, 3, 1, 4, 1 }, [2, 4]);
        using var mask = tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 }, [2, 4]);
        using var aloneIds = tensor(new long[] { 3, 1, 4, 1 }, [1, 4]);

        using var hidden = model.ForwardLeftPadded(ids, mask);
        using var alone = model.call(aloneIds, ones_like(aloneIds));

        Assert.DoesNotContain(hidden.data<float>().ToArray(), v => !float.IsFinite(v));
        var diff = hidden[1].data<float>().ToArray().Zip(alone[0].data<float>().ToArray(), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(diff <= Tolerance, $"{diff:E2}");
    }

    /// <summary>Left-pads with <paramref name="padId"/> to <paramref name="seq"/>; mask 1 for real tokens.</summary>
    private static (long[] Ids, long[] Mask) LeftPadded(long[][] sequences, int seq, long padId)
    {
        var ids = new long[sequences.Length * seq];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var b = 0; b < sequences.Length; b++)
        {
            var start = (b * seq) + seq - sequences[b].Length;
            sequences[b].CopyTo(ids, start);
            Array.Fill(mask, 1L, start, sequences[b].Length);
        }

        return (ids, mask);
    }
}
