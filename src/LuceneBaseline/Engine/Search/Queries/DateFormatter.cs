using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// A query's view of a date <c>format</c>: the engine's one <see cref="DateFormat"/> (the same that indexes the
/// field), with Elasticsearch's query errors and the query's time zone. Immutable, thread-safe.
/// </summary>
/// <remarks>
/// Missing fields get Elasticsearch's defaults: when parsing a bound that rounds up (<c>gt</c>, <c>lte</c>, the upper
/// end of a date <c>term</c>) month and day 1, hour 23, minute and second 59, nanoseconds 999,999,999; otherwise month
/// and day 1 and a time of 00:00:00. A missing year is 1970. Dates without an offset are in the given zone (UTC unless
/// <c>time_zone</c> says otherwise).
/// </remarks>
internal sealed class DateFormatter
{
    /// <summary>The format of a <c>date</c> field without one: <c>strict_date_optional_time||epoch_millis</c>.</summary>
    public const string DefaultPattern = DateFormat.DefaultPattern;

    private readonly DateFormat _format;

    private DateFormatter(DateFormat format)
    {
        _format = format;
    }

    public static DateFormatter Default { get; } = new(DateFormat.Default);

    /// <summary>The format as given (Elasticsearch names it so in parse errors).</summary>
    public string Pattern => _format.Pattern;

    /// <summary>Whether epoch milliseconds are among the alternatives (JSON numbers then count as epoch milliseconds).</summary>
    public bool AcceptsEpochMillis => _format.AcceptsEpochMillis;

    /// <summary>The formatter for a <c>format</c> value.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception for a pattern Java rejects or one the engine does not implement.</exception>
    public static DateFormatter ForPattern(string pattern)
    {
        try
        {
            return new DateFormatter(DateFormat.Create(pattern));
        }
        catch (ArgumentException e)
        {
            throw QueryErrors.IllegalArgument(e.Message);
        }
    }

    /// <summary>Epoch milliseconds of <paramref name="text"/>.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception <c>failed to parse date field [...] with format [...]</c>.</exception>
    public long Parse(string text, bool roundUp, DateZone zone)
    {
        if (!_format.TryParse(text, roundUp, out var date))
        {
            throw QueryErrors.IllegalArgument($"failed to parse date field [{text}] with format [{Pattern}]");
        }

        return date.Instant ?? ParsedDate.EpochMillis(zone.ToUtc(date.Local));
    }
}
