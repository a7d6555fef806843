namespace Rerank.Model.Weights;

/// <summary>
/// A seeded normal sampler whose output is bit-identical on every machine and runtime, so randomly initialised models
/// are byte-identical for a seed. Not thread-safe.
/// </summary>
/// <remarks>
/// Uniforms come from SplitMix64 (Steele, Lea and Flood, OOPSLA 2014). PORT NOTE: a normal deviate is the Irwin–Hall
/// sum of twelve uniforms minus 6 (mean 0, variance 1, bounded at ±6) rather than Box–Muller, because Box–Muller needs
/// Math.Log and Math.Cos, whose last bit differs between C runtimes; sums of exact uniforms use only IEEE additions.
/// </remarks>
internal sealed class SeededNormal
{
    private ulong _state;

    public SeededNormal(ulong seed) => _state = seed;

    /// <summary>A sampler for one named tensor: its stream depends on the seed and the name only, not on call order.</summary>
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

    public float[] Fill(long count, double mean, double std)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(mean + (std * Next()));
        }

        return values;
    }

    /// <summary>A standard normal draw (Irwin–Hall, see remarks).</summary>
    public double Next()
    {
        // Uniforms on [0, 1) with 53 random bits are exact doubles, so the sum rounds the same way everywhere.
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += (NextUInt64(ref _state) >> 11) * (1.0 / (1UL << 53));
        }

        return sum - 6.0;
    }

    /// <summary>The next SplitMix64 output (Vigna's reference <c>splitmix64.c</c>); advances <paramref name="state"/>.</summary>
    public static ulong NextUInt64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
