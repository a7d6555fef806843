using System.Globalization;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// <c>--shard i/n</c>: slice i (0-based) of n of the plan's pairs, contiguous in <c>TrainingPlan.Pairs()</c> order: pairs
/// <c>floor(total * i / n)</c> to <c>floor(total * (i + 1) / n) - 1</c>, so the n slices cover every pair exactly once.
/// </summary>
internal sealed record TeacherShard(int Index, int Count)
{
    /// <summary>The shard's file name without extension, <c>shard-I-of-N</c>.</summary>
    public string FileStem => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}");

    /// <summary>Parses <c>i/n</c> with 0 &lt;= i &lt; n.</summary>
    /// <exception cref="ArgumentException">Any other text; the message names the option and value.</exception>
    public static TeacherShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new TeacherShard(index, count);
        }

        throw new ArgumentException($"--shard: '{text}' is not i/n with 0 <= i < n (e.g. 0/4 for the first of four shards).", nameof(text));
    }

    /// <summary>The first pair and the number of pairs of this shard among <paramref name="total"/>.</summary>
    public (int Start, int Length) Slice(int total)
    {
        var start = (int)((long)total * Index / Count);
        var end = (int)((long)total * (Index + 1) / Count);
        return (start, end - start);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
