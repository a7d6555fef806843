using System.Collections.Concurrent;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// The engine's one implementation of Elasticsearch date formats, used for indexing, for query bounds and date-math
/// anchors, and for what searches print. A <c>format</c> is one or more formats joined by <c>||</c> (each trimmed),
/// tried in order when parsing; the first one prints. Each is a built-in name (<see cref="NamedDateFormats"/>) or a
/// java.time pattern (<see cref="JavaDatePattern"/>). Dates are epoch milliseconds; a text without an offset is
/// local time, which indexing takes as UTC. Immutable and thread-safe.
/// </summary>
internal sealed class DateFormat
{
    /// <summary>Elasticsearch's default <c>format</c> of a date field.</summary>
    public const string DefaultPattern = "strict_date_optional_time||epoch_millis";

    // Formats come from mappings (and search requests); compiled ones are shared, up to a bound so request input cannot grow it without limit.
    private const int CacheLimit = 256;
    private static readonly ConcurrentDictionary<string, DateFormat> Cache = new(StringComparer.Ordinal);

    private readonly NamedDateFormat[] _formats;

    private DateFormat(string pattern, NamedDateFormat[] formats)
    {
        Pattern = pattern;
        _formats = formats;
    }

    /// <summary>strict_date_optional_time||epoch_millis.</summary>
    public static DateFormat Default { get; } = Compile(DefaultPattern);

    /// <summary>The format as written in the mapping or request (Elasticsearch names it so in parse errors).</summary>
    public string Pattern { get; }

    /// <summary>Whether <c>epoch_millis</c> is among the formats (a JSON number bound is then epoch milliseconds).</summary>
    public bool AcceptsEpochMillis => _formats.Any(f => f.Parsers.Any(p => p.IsEpochMillis));

    /// <summary>The format for <paramref name="pattern"/>; null means <see cref="Default"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The pattern is empty ("No date pattern provided") or not valid or not supported; the message is Elasticsearch's
    /// "Invalid format: [part]: reason".
    /// </exception>
    public static DateFormat Create(string? pattern)
    {
        if (pattern is null || pattern == DefaultPattern)
        {
            return Default;
        }

        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var format = Compile(pattern);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(pattern, format);
        }

        return format;
    }

    /// <summary>Parses <paramref name="text"/> with each format in turn, a date without offset being UTC; false when none accepts it.</summary>
    public bool TryParse(string text, out long epochMillis)
    {
        var parsed = TryParse(text, roundUp: false, out var date);
        epochMillis = parsed ? date.UtcEpochMillis : 0;
        return parsed;
    }

    /// <summary>
    /// Parses <paramref name="text"/> with each format in turn; <paramref name="roundUp"/> fills missing fields with
    /// their largest values (Elasticsearch's round-up parser, for <c>gt</c> and <c>lte</c> bounds).
    /// </summary>
    public bool TryParse(string text, bool roundUp, out ParsedDate date)
    {
        foreach (var format in _formats)
        {
            foreach (var parser in format.Parsers)
            {
                if (parser.TryParse(text, roundUp, out date))
                {
                    return true;
                }
            }
        }

        date = default;
        return false;
    }

    /// <summary>Prints <paramref name="epochMillis"/> with the first format, in UTC.</summary>
    public string Format(long epochMillis) => _formats[0].Printer.Print(epochMillis);

    private static DateFormat Compile(string pattern)
    {
        if (pattern.Trim().Length == 0)
        {
            throw new ArgumentException("No date pattern provided");
        }

        var parts = pattern.Split("||");
        var formats = new NamedDateFormat[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            try
            {
                if (part.Length == 0)
                {
                    throw new ArgumentException("No date pattern provided");
                }

                if (!NamedDateFormats.TryGet(part, out formats[i]))
                {
                    var custom = new DatePattern(JavaDatePattern.Compile(part));
                    formats[i] = new NamedDateFormat(custom, [custom]);
                }
            }
            catch (ArgumentException e) when (part.Length > 0)
            {
                throw new ArgumentException($"Invalid format: [{part}]: {e.Message}", e);
            }
        }

        return new DateFormat(pattern, formats);
    }
}
