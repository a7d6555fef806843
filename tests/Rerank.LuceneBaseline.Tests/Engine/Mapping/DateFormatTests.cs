using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Tests.Engine.Mapping;

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
}
