using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;

namespace Rerank.Model.Tests.Graphs;

/// <summary>Runs a backbone-only graph (decoder or BERT, output <c>last_hidden_state</c>) and compares its states with a reference.</summary>
internal static class BackboneGraphRuns
{
    /// <summary>
    /// Runs the sequences right-padded with id 0 to <paramref name="seq"/>, masks 1 for real tokens unless given;
    /// returns the hidden states [batch, seq, hidden] flat.
    /// </summary>
    public static float[] Run(InferenceSession session, BackboneConfig config, long[][] sequences, int seq, long[][]? masks = null)
    {
        var ids = new long[sequences.Length * seq];
        var mask = new long[sequences.Length * seq];
        for (var b = 0; b < sequences.Length; b++)
        {
            sequences[b].CopyTo(ids, b * seq);
            for (var t = 0; t < sequences[b].Length; t++)
            {
                mask[(b * seq) + t] = masks?[b][t] ?? 1;
            }
        }

        // Both backbones name their output the same; the graph test checks which one the session holds.
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [sequences.Length, seq]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [sequences.Length, seq]);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask"], [idsValue, maskValue], [DecoderGraph.LastHiddenState]);
        Assert.Equal([sequences.Length, seq, config.HiddenSize], outputs[0].GetTensorTypeAndShape().Shape);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>max |actual[offset + t * hidden + c] - expected[t][c]| over the first <paramref name="length"/> tokens (a NaN counts as infinite).</summary>
    public static double MaxAbsDiff(float[] actual, int offset, double[][] expected, int length, int hidden)
    {
        var max = 0.0;
        for (var t = 0; t < length; t++)
        {
            for (var c = 0; c < hidden; c++)
            {
                var diff = Math.Abs(actual[offset + (t * hidden) + c] - expected[t][c]);
                max = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(max, diff);
            }
        }

        return max;
    }
}
