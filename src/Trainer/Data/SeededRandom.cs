namespace Rerank.Trainer.Data;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code alone, not by the runtime's
/// <see cref="Random"/>, so held-out slices, negative samples and batch orders stay the same across .NET versions.
/// </summary>
internal sealed class SeededRandom(ulong state)
{
    private ulong _state = state;

    /// <summary>A generator for one purpose: <paramref name="seed"/> mixed with a stream name (and an index), so streams are independent.</summary>
    public static SeededRandom For(int seed, string stream, long index = 0) =>
        new(Mix((ulong)(uint)seed ^ Fnv1a(stream) ^ Mix((ulong)index + 0x9E3779B97F4A7C15UL)));

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);

        return (int)(value % (ulong)bound);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>: a stable string hash (string.GetHashCode is randomised per process).</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
