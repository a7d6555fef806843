using System.Globalization;

namespace Rerank.Trainer.Cli;

/// <summary>Parses sizes such as <c>5GB</c>, <c>500MiB</c> or <c>1048576</c> (transformers' <c>max_shard_size</c> spelling: KB = 1000, KiB = 1024).</summary>
internal static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
    ];

    /// <exception cref="ArgumentException">Not a positive size; the message names the option.</exception>
    public static long Parse(string option, string text)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        var factor = 1L;
        foreach (var (suffix, value) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                factor = value;
                break;
            }
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && number * factor < long.MaxValue
            ? (long)Math.Round(number * factor)
            : throw new ArgumentException($"{option}: '{text}' is not a size (bytes, or a number with KB, MB, GB, KiB, MiB or GiB).");
    }
}
