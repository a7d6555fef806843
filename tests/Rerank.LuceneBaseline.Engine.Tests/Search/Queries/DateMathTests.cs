using System.Globalization;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>Date math and date formats, expected instants worked out by hand from the Elasticsearch reference's rules.</summary>
public sealed class DateMathTests
{
    // A Wednesday.
    private static readonly DateTimeOffset Now = new(2024, 5, 15, 13, 45, 30, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("now", false, "2024-05-15T13:45:30.123Z")]
    [InlineData("now", true, "2024-05-15T13:45:30.123Z")]
    [InlineData("now/d", false, "2024-05-15T00:00:00.000Z")]
    [InlineData("now/d", true, "2024-05-15T23:59:59.999Z")]
    [InlineData("now-1d/d", false, "2024-05-14T00:00:00.000Z")]
    [InlineData("now-1d/d", true, "2024-05-14T23:59:59.999Z")]
    [InlineData("now/M", false, "2024-05-01T00:00:00.000Z")]
    [InlineData("now/M", true, "2024-05-31T23:59:59.999Z")]
    [InlineData("now/y", true, "2024-12-31T23:59:59.999Z")]
    [InlineData("now/w", false, "2024-05-13T00:00:00.000Z")]
    [InlineData("now/w", true, "2024-05-19T23:59:59.999Z")]
    [InlineData("now/h", false, "2024-05-15T13:00:00.000Z")]
    [InlineData("now/H", true, "2024-05-15T13:59:59.999Z")]
    [InlineData("now/m", false, "2024-05-15T13:45:00.000Z")]
    [InlineData("now/s", true, "2024-05-15T13:45:30.999Z")]
    [InlineData("now+1h", false, "2024-05-15T14:45:30.123Z")]
    [InlineData("now-30m", false, "2024-05-15T13:15:30.123Z")]
    [InlineData("now+90s", false, "2024-05-15T13:47:00.123Z")]
    [InlineData("now-2w", false, "2024-05-01T13:45:30.123Z")]
    [InlineData("now+1y-1M", false, "2025-04-15T13:45:30.123Z")]
    [InlineData("now-1d+12h/d", false, "2024-05-15T00:00:00.000Z")]
    [InlineData("2020-01-31||+1M", false, "2020-02-29T00:00:00.000Z")]
    [InlineData("2020-01-01||+1M/d", false, "2020-02-01T00:00:00.000Z")]
    [InlineData("2020-01-01T10:00:00||/d", true, "2020-01-01T23:59:59.999Z")]
    [InlineData("2020-01-01T10:00:00Z||-1h", true, "2020-01-01T09:00:00.000Z")] // the anchor before || never rounds up
    [InlineData("2020-01-01", false, "2020-01-01T00:00:00.000Z")]
    [InlineData("2020-01-01", true, "2020-01-01T23:59:59.999Z")]
    [InlineData("2020-01", true, "2020-01-01T23:59:59.999Z")] // missing day defaults to 1 even when rounding up
    [InlineData("2020-01-01T10", true, "2020-01-01T10:59:59.999Z")]
    [InlineData("2020-01-01T10:15:30", true, "2020-01-01T10:15:30.999Z")]
    [InlineData("2020-01-01T10:15:30.5", false, "2020-01-01T10:15:30.500Z")]
    [InlineData("2020-01-01T10:15:30,25+01:00", false, "2020-01-01T09:15:30.250Z")]
    [InlineData("2020-01-01T00:00:00-0530", false, "2020-01-01T05:30:00.000Z")]
    [InlineData("1577836800000", false, "2020-01-01T00:00:00.000Z")]
    [InlineData("-1000", false, "1969-12-31T23:59:59.000Z")]
    public void Parse_DefaultFormatUtc_GivesTheInstant(string text, bool roundUp, string expected)
    {
        var millis = DateMath.Parse(text, Now, roundUp, DateZone.Utc, DateFormatter.Default);

        Assert.Equal(expected, Format(millis));
    }

    [Theory]
    [InlineData("now/d", "+02:00", false, "2024-05-14T22:00:00.000Z")]
    [InlineData("now/d", "-08:00", true, "2024-05-16T07:59:59.999Z")] // local 05:45 on the 15th: end of that local day
    [InlineData("2020-01-01", "+01:00", false, "2019-12-31T23:00:00.000Z")]
    [InlineData("2020-01-01T00:00:00Z", "+01:00", false, "2020-01-01T00:00:00.000Z")] // an explicit offset wins
    [InlineData("1577836800000", "+05:00", false, "2020-01-01T00:00:00.000Z")] // epoch millis have no zone
    // Paris switches to summer time on 2024-03-31 at 02:00: that day has 23 hours.
    [InlineData("2024-03-31||/d", "Europe/Paris", false, "2024-03-30T23:00:00.000Z")]
    [InlineData("2024-03-31||/d", "Europe/Paris", true, "2024-03-31T21:59:59.999Z")]
    [InlineData("2024-03-30T12:00:00||+1d", "Europe/Paris", false, "2024-03-31T10:00:00.000Z")] // calendar day: same local time
    [InlineData("2024-03-30T12:00:00||+24h", "Europe/Paris", false, "2024-03-31T11:00:00.000Z")] // 24 hours on the timeline
    public void Parse_TimeZone_AppliesToDatesWithoutOffsetAndToRounding(string text, string zone, bool roundUp, string expected)
    {
        var millis = DateMath.Parse(text, Now, roundUp, DateZone.Parse(zone), DateFormatter.Default);

        Assert.Equal(expected, Format(millis));
    }

    [Theory]
    [InlineData("dd/MM/yyyy", "05/01/2020", false, "2020-01-05T00:00:00.000Z")]
    [InlineData("dd/MM/yyyy", "05/01/2020", true, "2020-01-05T23:59:59.999Z")]
    [InlineData("yyyyMMdd", "20200105", false, "2020-01-05T00:00:00.000Z")]
    [InlineData("basic_date", "20200105", false, "2020-01-05T00:00:00.000Z")]
    [InlineData("yyyy-MM-dd HH:mm", "2020-01-05 07:08", true, "2020-01-05T07:08:59.999Z")]
    [InlineData("dd MMM yyyy", "05 Jan 2020", false, "2020-01-05T00:00:00.000Z")]
    [InlineData("yyyy", "2020", true, "2020-01-01T23:59:59.999Z")]
    [InlineData("epoch_second", "1577836800", false, "2020-01-01T00:00:00.000Z")]
    [InlineData("epoch_second", "1577836800.5", false, "2020-01-01T00:00:00.500Z")]
    [InlineData("yyyy-MM-dd||epoch_millis", "1577836800000", false, "2020-01-01T00:00:00.000Z")]
    [InlineData("strict_date_time", "2020-01-05T07:08:09.010Z", false, "2020-01-05T07:08:09.010Z")]
    [InlineData("yyyy-MM-dd['T'HH:mm]", "2020-01-05T07:08", false, "2020-01-05T07:08:00.000Z")]
    [InlineData("yyyy-MM-dd['T'HH:mm]", "2020-01-05", false, "2020-01-05T00:00:00.000Z")]
    public void Parse_Format_ParsesItsPattern(string format, string text, bool roundUp, string expected)
    {
        var millis = DateMath.Parse(text, Now, roundUp, DateZone.Utc, DateFormatter.ForPattern(format));

        Assert.Equal(expected, Format(millis));
    }

    [Theory]
    [InlineData("now+", "parse_exception", "truncated date math [+]")]
    [InlineData("now+5", "parse_exception", "truncated date math [+5]")]
    [InlineData("now*1d", "parse_exception", "operator not supported for date math [*1d]")]
    [InlineData("now/2d", "parse_exception", "rounding `/` can only be used on single unit types [/2d]")]
    [InlineData("now+1q", "parse_exception", "unit [q] not supported for date math [+1q]")]
    [InlineData("2020-13-01", "parse_exception",
        "failed to parse date field [2020-13-01] with format [strict_date_optional_time||epoch_millis]: [failed to parse date field [2020-13-01] with format [strict_date_optional_time||epoch_millis]]")]
    [InlineData("2020-02-30", "parse_exception",
        "failed to parse date field [2020-02-30] with format [strict_date_optional_time||epoch_millis]: [failed to parse date field [2020-02-30] with format [strict_date_optional_time||epoch_millis]]")]
    [InlineData("||+1d", "parse_exception", "cannot parse empty datetime")]
    public void Parse_Malformed_FailsAsElasticsearch(string text, string type, string reason)
    {
        var error = Assert.Throws<EngineException>(() => DateMath.Parse(text, Now, false, DateZone.Utc, DateFormatter.Default));

        Assert.Equal((type, reason), (error.Type, error.Reason));
    }

    [Theory]
    [InlineData("yyyy-bb", "Invalid format: [yyyy-bb]: Unknown pattern letter: b")]
    [InlineData("yyyy#", "Invalid format: [yyyy#]: Pattern includes reserved character: '#'")]
    // Week-based fields are not implemented (EEEE, which this row used to name, is: indexing always read it).
    [InlineData("yyyy-MM-dd ww", "Invalid format: [yyyy-MM-dd ww]: the embedded engine does not support the pattern letters [ww]")]
    [InlineData("", "No date pattern provided")]
    public void ForPattern_Invalid_IsAnIllegalArgument(string format, string reason)
    {
        var error = Assert.Throws<EngineException>(() => DateFormatter.ForPattern(format));

        Assert.Equal(("illegal_argument_exception", reason), (error.Type, error.Reason));
    }

    [Theory]
    [InlineData("Z", 0)]
    [InlineData("UTC", 0)]
    [InlineData("+01:00", 60)]
    [InlineData("-0830", -510)]
    [InlineData("+5", 300)]
    [InlineData("UTC+03:00", 180)]
    public void ZoneParse_Offsets_GiveTheOffset(string zone, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), DateZone.Parse(zone).OffsetAt(DateTime.UtcNow));
    }

    private static string Format(long millis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
