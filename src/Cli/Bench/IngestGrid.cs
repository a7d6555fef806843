using System.Globalization;

namespace Rerank.Cli.Bench;

/// <summary>
/// <c>rerank bench ingest --grid</c>: the MaxBatch x MaxDelay settings tried, written <c>16,64,256x0,5,20</c> (batch
/// sizes, then delays in milliseconds), or <c>none</c> for no grid.
/// </summary>
internal sealed record IngestGrid(IReadOnlyList<int> MaxBatches, IReadOnlyList<int> MaxDelaysMs)
{
    public const string Default = "16,64,256x0,5,20";

    public static IngestGrid None { get; } = new([], []);

    /// <summary>Every (MaxBatch, MaxDelay) pair, batch sizes outer.</summary>
    public IEnumerable<(int MaxBatch, TimeSpan MaxDelay)> Cells =>
        MaxBatches.SelectMany(b => MaxDelaysMs.Select(d => (b, TimeSpan.FromMilliseconds(d))));

    /// <summary>Parses <paramref name="text"/>; false with a one-line <paramref name="problem"/> when it is not a grid.</summary>
    public static bool TryParse(string text, out IngestGrid grid, out string problem)
    {
        grid = None;
        problem = "";
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TryParseList(parts[0], minimum: 1, out var batches)
            || !TryParseList(parts[1], minimum: 0, out var delays))
        {
            problem = $"'{text}' is not <batch sizes>x<delays in ms> (each a comma-separated list, batch sizes at least 1, delays at least 0), e.g. {Default}, or none.";
            return false;
        }

        grid = new IngestGrid(batches, delays);
        return true;
    }

    private static bool TryParseList(string text, int minimum, out List<int> values)
    {
        values = [];
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
            {
                return false;
            }

            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }

        return values.Count > 0;
    }
}
