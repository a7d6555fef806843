namespace Rerank.Model.Weights;

/// <summary>
/// A seeded normal sampler with the same output on every machine and runtime (SplitMix64 + Box–Muller), so
/// randomly initialised models are byte-identical for a seed. Not thread-safe.
/// </summary>
public sealed class SeededNormal
{
    private ulong _state;
    private double? _spare;

    public SeededNormal(ulong seed) => _state = seed;

    /// <summary>A sampler for one named tensor: the stream depends on the seed and the name only, not on call order.</summary>
    public static SeededNormal For(int seed, string name)
    {
        // FNV-1a over the name, mixed with the seed: adding a tensor elsewhere never changes this one's values.
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return new SeededNormal(hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL));
    }

    public float[] Fill(int count, double mean, double std)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(mean + (std * Next()));
        }

        return values;
    }

    /// <summary>A standard normal draw.</summary>
    public double Next()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        // Uniforms in (0, 1]: 53 random bits, never 0, so the logarithm is finite.
        var u1 = ((NextBits() >> 11) + 1) * (1.0 / 9007199254740992.0);
        var u2 = (NextBits() >> 11) * (1.0 / 9007199254740992.0);
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    private ulong NextBits()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
