using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>minimum_should_match</c> in all of Elasticsearch's forms (<c>Queries.calculateMinShouldMatch</c>): an integer
/// (<c>3</c>), a negative integer (all but n: <c>-2</c>), a percentage of the optional clauses rounded down
/// (<c>75%</c>), a negative percentage (<c>-25%</c>), and conditions (<c>3&lt;90%</c>: up to 3 clauses all are required,
/// above that 90%; several separated by spaces, <c>2&lt;-25% 9&lt;-3</c>).
/// </summary>
internal static class MinimumShouldMatch
{
    private static readonly char[] JavaTrim = Enumerable.Range(0, 33).Select(c => (char)c).ToArray();

    /// <summary>
    /// The number of should clauses required out of <paramref name="optionalClauses"/> (never negative; it may exceed
    /// the clause count, which then matches nothing, as in Elasticsearch).
    /// </summary>
    /// <exception cref="Errors.EngineException">A shard failure for a specification Java cannot parse.</exception>
    public static int Calculate(int optionalClauses, string spec, QueryBuildContext context)
    {
        try
        {
            return Calculate(optionalClauses, spec);
        }
        catch (Errors.EngineException e)
        {
            throw context.ShardFailure(e);
        }
    }

    /// <summary>The calculation itself; malformed parts fail with the Java exception Elasticsearch hits.</summary>
    public static int Calculate(int optionalClauses, string spec)
    {
        var result = optionalClauses;
        spec = spec.Trim(JavaTrim);
        if (spec.Contains('<', StringComparison.Ordinal))
        {
            spec = NormaliseLessThan(spec);
            foreach (var condition in JavaSplit(spec, ' '))
            {
                var parts = JavaSplit(condition, '<');
                if (parts.Count == 0)
                {
                    throw new Errors.EngineException(500, "array_index_out_of_bounds_exception", "Index 0 out of bounds for length 0");
                }

                var upperBound = ParseInt(parts[0]);
                if (optionalClauses <= upperBound)
                {
                    return result;
                }

                if (parts.Count < 2)
                {
                    throw new Errors.EngineException(500, "array_index_out_of_bounds_exception", $"Index 1 out of bounds for length {parts.Count}");
                }

                result = Calculate(optionalClauses, parts[1]);
            }

            return result;
        }

        if (spec.Contains('%', StringComparison.Ordinal))
        {
            // Elasticsearch takes the '%' to be the last character and lets the integer parse reject anything else.
            var percent = ParseInt(spec[..^1]);
            var calculated = result * percent * (1 / 100f);
            result = calculated < 0 ? result + (int)calculated : (int)calculated;
        }
        else
        {
            var calculated = ParseInt(spec);
            result = calculated < 0 ? result + calculated : calculated;
        }

        return Math.Max(result, 0);
    }

    private static int ParseInt(string text) => JavaNumbers.ParseInt(text) ?? throw QueryErrors.NumberFormat(text);

    // Java's "(\s+<\s*)|(\s*<\s+)" -> "<": whitespace around a '<' goes.
    private static string NormaliseLessThan(string spec) =>
        System.Text.RegularExpressions.Regex.Replace(spec, @"(\s+<\s*)|(\s*<\s+)", "<");

    // Java's String.split: empty strings at the end are dropped, others kept.
    private static List<string> JavaSplit(string text, char separator)
    {
        var parts = text.Split(separator).ToList();
        while (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count == 1 && parts[0].Length == 0 && text.Length > 0)
        {
            parts.Clear();
        }

        return parts;
    }
}
