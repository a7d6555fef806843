using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Tests.Mapping;

/// <summary>Expected epoch milliseconds were computed with Python's datetime (UTC unless an offset is given).</summary>
public sealed class DateFormatTests
{
    [Theory]
    [InlineData("2015", 1_420_070_400_000L)]
    [InlineData("2015-01", 1_420_070_400_000L)]
    [InlineData("2015-01-01", 1_420_070_400_000L)]
    [InlineData("2015-01-01T11:10:30.5+01:00", 1_420_107_030_500L)]
    [InlineData("2015-01-01T12:10:30.500Z", 1_420_114_230_500L)]
    [InlineData("2015-01-01T12:10:30.5+0100", 1_420_110_630_500L)]
    [InlineData("1420070400001", 1_420_070_400_001L)]
    [InlineData("-1000", -1_000L)]
    public void TryParse_Default_AcceptsIsoPrefixesAndEpochMillis(string text, long expected)
    {
        Assert.True(DateFormat.Default.TryParse(text, out var millis));
        Assert.Equal(expected, millis);
    }

    [Theory]
    [InlineData("2015-13-01")]
    [InlineData("2015-02-30")]
    [InlineData("2015-1-1")]
    [InlineData("15-01-01")]
    [InlineData("2015-01-01 12:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TryParse_Default_RejectsWhatStrictIsoAndEpochRefuse(string text)
    {
        Assert.False(DateFormat.Default.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_DateOptionalTime_IsLenientAboutDigits()
    {
        var format = DateFormat.Create("date_optional_time");

        Assert.True(format.TryParse("2015-1-1", out var millis));
        Assert.Equal(1_420_070_400_000L, millis);
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm:ss", "2020-05-06 07:08:09", 1_588_748_889_000L)]
    [InlineData("dd MMM yyyy", "05 Jan 2021", 1_609_804_800_000L)]
    [InlineData("yyyy-MM-dd'T'HH:mm:ssZ", "2021-01-05T10:00:00+0200", 1_609_833_600_000L)]
    [InlineData("yyyy-MM-dd[ HH:mm]", "2021-01-05", 1_609_804_800_000L)]
    [InlineData("yyyy-MM-dd[ HH:mm]", "2021-01-05 10:30", 1_609_842_600_000L)]
    [InlineData("yyyy/MM/dd HH:mm:ss||yyyy/MM/dd", "2021/01/05", 1_609_804_800_000L)]
    [InlineData("epoch_second", "1420110630.5", 1_420_110_630_500L)]
    [InlineData("basic_date", "20210105", 1_609_804_800_000L)]
    [InlineData("strict_date", "2021-01-05", 1_609_804_800_000L)]
    public void TryParse_CustomAndNamedFormats_ParseAsJavaTimeDoes(string pattern, string text, long expected)
    {
        Assert.True(DateFormat.Create(pattern).TryParse(text, out var millis));
        Assert.Equal(expected, millis);
    }

    [Theory]
    [InlineData(DateFormat.DefaultPattern, "2015-01-01T11:10:30.500Z")]
    [InlineData("epoch_millis", "1420110630500")]
    [InlineData("epoch_second", "1420110630.5")]
    [InlineData("yyyy/MM/dd HH:mm:ss||yyyy/MM/dd", "2015/01/01 11:10:30")]
    [InlineData("dd MMM yyyy", "01 Jan 2015")]
    public void Format_FirstFormat_PrintsInUtc(string pattern, string expected)
    {
        Assert.Equal(expected, DateFormat.Create(pattern).Format(1_420_110_630_500L));
    }

    [Theory]
    [InlineData("yyyy-bb", "Invalid format: [yyyy-bb]: Unknown pattern letter: b")]
    [InlineData("yyyy-ww", "Invalid format: [yyyy-ww]: the embedded engine does not support the pattern letters [ww]")]
    [InlineData("week_date", "Invalid format: [week_date]: the embedded engine does not support the built-in format [week_date]")]
    public void Create_UnsupportedPattern_SaysWhy(string pattern, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => DateFormat.Create(pattern));

        Assert.Equal(message, error.Message);
    }
    // Rows where the two former copies (Mapping/DateFormat and Search/Queries/DateFormatter) disagreed with each other or
    // with Elasticsearch; expectations from elastic/elasticsearch DateFormatters.java / EpochTime.java and java.time.
    // 2015-01-01T00:00:00Z is 1,420,070,400,000 ms; 2021-01-05T00:00:00Z is 1,609,804,800,000 ms.
    [Theory]
    [InlineData("basic_date_time", "20150101T111030.500+01:00", 1_420_107_030_500L)] // zone-or-offset id (the query copy had X, which refuses +01:00)
    [InlineData("basic_date_time", "20150101T111030.5+0100", 1_420_107_030_500L)] // fraction of 1-9 digits, offset without colon
    [InlineData("basic_date_time_no_millis", "20150101T111030Z", 1_420_110_630_000L)]
    [InlineData("date", "2015-1-5", 1_420_416_000_000L)] // lenient date: 1-2 digit month and day
    [InlineData("date", "2015", 1_420_070_400_000L)] // ... and optional month and day
    [InlineData("strict_date_hour_minute_second_fraction", "2015-01-01T11:10:30.5", 1_420_110_630_500L)] // 1-9 digits, not exactly SSS
    [InlineData("date_time_no_millis", "2015-01-01T11:10:30", 1_420_110_630_000L)] // its zone is optional
    [InlineData("yMMdd", "20210105", 1_609_804_800_000L)] // java.time adjacent value parsing
    [InlineData("yyyy-MM-dd'T'HH:mmXXX", "2021-01-05T10:00+01:00", 1_609_837_200_000L)]
    [InlineData("epoch_millis", "1.", 1L)] // EpochTime accepts a trailing dot
    [InlineData("epoch_second", "1.000000001", 1_000L)] // nine fraction digits for seconds
    [InlineData("hour_minute", "7:05", 25_500_000L)] // a time alone is on 1970-01-01
    public void TryParse_FormerlyDisagreeing_FollowsElasticsearch(string pattern, string text, long expected)
    {
        Assert.True(DateFormat.Create(pattern).TryParse(text, out var millis));
        Assert.Equal(expected, millis);
    }

    [Theory]
    [InlineData("dd MMM yyyy", "05 jan 2021")] // java.time text is case-sensitive (both copies ignored case)
    [InlineData("yyyy-MM-dd", "02021-01-05")] // yyyy is SignStyle.EXCEEDS_PAD: more than 4 digits need a sign
    [InlineData("yyyy-MM-dd'T'HH:mmXXX", "2021-01-05T10:00+0100")] // XXX is +HH:MM; the mapping copy took +0100 too
    [InlineData("date_time", "2015-01-01T11:10:30.500")] // date_time's offset is required
    [InlineData("date_time", "2015-01-01T11:10:30+01:00")] // ... and its seconds come with a fraction
    [InlineData("epoch_millis", "1.1234567")] // at most six fraction digits for millis
    [InlineData("strict_date_optional_time", "2015-01-01T10:00:00Europe/Paris")] // region ids in the text are not read by the engine
    public void TryParse_FormerlyAccepted_IsRefusedAsElasticsearchDoes(string pattern, string text)
    {
        Assert.False(DateFormat.Create(pattern).TryParse(text, out _));
    }

    [Theory]
    [InlineData("yyyy-MM-dd'T'HH:mmx", "2015-01-01T11:10+00")] // java.time prints x as +00 at UTC, X as Z
    [InlineData("yyyy-MM-dd'T'HH:mmX", "2015-01-01T11:10Z")]
    [InlineData("basic_date_time", "20150101T111030.500Z")]
    [InlineData("date_time_no_millis", "2015-01-01T11:10:30Z")]
    [InlineData("year", "2015")]
    [InlineData("SSSS", "5000")]
    public void Format_JavaTimePrinters_PrintAsElasticsearch(string pattern, string expected)
    {
        Assert.Equal(expected, DateFormat.Create(pattern).Format(1_420_110_630_500L));
    }

    [Fact]
    public void Create_StrictBasicDate_IsNotABuiltInFormat()
    {
        // Elasticsearch has no strict_basic_date: it is read as a java.time pattern, and 't' is no pattern letter.
        var error = Assert.Throws<ArgumentException>(() => DateFormat.Create("strict_basic_date"));

        Assert.Equal("Invalid format: [strict_basic_date]: Unknown pattern letter: t", error.Message);
    }

    [Fact]
    public void TryParse_RoundUp_FillsTheLastMillisecondOfTheDay()
    {
        Assert.True(DateFormat.Default.TryParse("2015-01-01", roundUp: true, out var date));

        Assert.Equal(1_420_156_799_999L, date.UtcEpochMillis);
    }
}
