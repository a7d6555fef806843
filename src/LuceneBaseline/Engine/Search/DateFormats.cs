using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Date formats for what a search prints (<c>fields</c>, <c>key_as_string</c>, <c>value_as_string</c>) and for dates a
/// request gives (<c>search_after</c>, <c>missing</c>, <c>q</c>): the mapping's <see cref="DateFormat"/> (formats joined
/// by <c>||</c>; parsing tries each, printing uses the first; UTC). Null means the default,
/// <c>strict_date_optional_time||epoch_millis</c>, which prints <c>2020-01-01T00:00:00.000Z</c>.
/// </summary>
internal static class DateFormats
{
    public const string Default = DateFormat.DefaultPattern;

    /// <exception cref="EngineException"><c>illegal_argument_exception</c> "Invalid format: [...]" for a format the engine lacks.</exception>
    public static string Format(long epochMillis, string? format) => Create(format).Format(epochMillis);

    public static bool TryParse(string text, string? format, out long epochMillis) => Create(format).TryParse(text, out epochMillis);

    private static DateFormat Create(string? format)
    {
        try
        {
            return DateFormat.Create(format);
        }
        catch (ArgumentException e)
        {
            throw EngineException.IllegalArgument(e.Message);
        }
    }
}
