namespace Rerank.Model.Architecture;

/// <summary>
/// The rotary position tables of a LLaMA / Qwen2 decoder in Hugging Face's non-interleaved <c>rotate_half</c>
/// layout. The ONNX graph (<c>DecoderGraph</c>) and the trainer's TorchSharp decoder both take their cos and sin from
/// here, so the two rotate every position by exactly the same float32 values.
/// </summary>
internal static class RotaryEmbedding
{
    /// <summary>
    /// cos and sin, row-major <c>[positions, head_dim]</c>, for positions <c>0 .. positions - 1</c>: row p holds the
    /// angles <c>p * inv_freq[j]</c> of the <c>head_dim / 2</c> frequencies <c>inv_freq[j] = 1 / theta^(2j / head_dim)</c>,
    /// then the same angles again.
    /// </summary>
    /// <remarks>
    /// PORT NOTE: inv_freq and p * inv_freq are rounded to float32 as in HF's LlamaRotaryEmbedding (which computes them in
    /// fp32), so far positions rotate like the HF model rather than like exact arithmetic; near position 2048 the two
    /// differ by up to ~1e-4 rad. Only cos and sin themselves are taken in double and rounded once.
    /// </remarks>
    /// <exception cref="ArgumentException">The config is invalid; the message lists every problem.</exception>
    public static (float[] Cos, float[] Sin) Tables(BackboneConfig config, int positions)
    {
        DecoderWeights.ThrowIfInvalid(config);
        ArgumentOutOfRangeException.ThrowIfNegative(positions);
        var headDim = config.HeadDim;
        var half = headDim / 2;
        var cos = new float[positions * headDim];
        var sin = new float[positions * headDim];
        for (var j = 0; j < half; j++)
        {
            var invFreq = 1f / (float)Math.Pow(config.RopeTheta, (float)(2 * j) / headDim);
            for (var p = 0; p < positions; p++)
            {
                var angle = p * invFreq;
                var c = (float)Math.Cos(angle);
                var s = (float)Math.Sin(angle);
                cos[(p * headDim) + j] = cos[(p * headDim) + half + j] = c;
                sin[(p * headDim) + j] = sin[(p * headDim) + half + j] = s;
            }
        }

        return (cos, sin);
    }
}
