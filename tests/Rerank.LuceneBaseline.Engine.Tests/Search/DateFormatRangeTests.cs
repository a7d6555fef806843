using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>
/// End to end: a date indexed in each supported built-in format (the mapping's <c>format</c>) is found by a range
/// query whose bounds are written in that same format, and a second document with a later date in that format is not.
/// </summary>
public sealed class DateFormatRangeTests
{
    [Theory]
    [InlineData("epoch_millis", "1420070400001", "1420070500000")]
    [InlineData("epoch_second", "1420070400.5", "1420070500")]
    [InlineData("strict_date_optional_time", "2015-01-01T12:10:30.500Z", "2015-01-02")]
    [InlineData("strict_date_optional_time_nanos", "2015-01-01T10:00:00.123456789Z", "2015-01-02")]
    [InlineData("date_optional_time", "2015-1-1T10:5", "2015-1-2")]
    [InlineData("iso8601", "2015-01-01T10:00:00+0100", "2015-01-02")]
    [InlineData("basic_date", "20150101", "20150102")]
    [InlineData("basic_date_time", "20150101T101112.123+01:00", "20150102T000000.000Z")]
    [InlineData("basic_date_time_no_millis", "20150101T101112+0100", "20150102T000000Z")]
    [InlineData("basic_time", "101112.123Z", "111112.123Z")]
    [InlineData("basic_time_no_millis", "101112+01", "111112Z")]
    [InlineData("basic_t_time", "T101112.5Z", "T111112.5Z")]
    [InlineData("basic_t_time_no_millis", "T101112Z", "T111112Z")]
    [InlineData("date", "2015-1-5", "2015-01-06")]
    [InlineData("strict_date", "2015-01-05", "2015-01-06")]
    [InlineData("date_hour", "2015-01-05T7", "2015-01-05T08")]
    [InlineData("strict_date_hour", "2015-01-05T07", "2015-01-05T08")]
    [InlineData("date_hour_minute", "2015-01-05T7:5", "2015-01-05T07:06")]
    [InlineData("strict_date_hour_minute", "2015-01-05T07:05", "2015-01-05T07:06")]
    [InlineData("date_hour_minute_second", "2015-01-05T7:5:9", "2015-01-05T07:05:10")]
    [InlineData("strict_date_hour_minute_second", "2015-01-05T07:05:09", "2015-01-05T07:05:10")]
    [InlineData("date_hour_minute_second_millis", "2015-01-05T07:05:09.12", "2015-01-05T07:05:09.121")]
    [InlineData("strict_date_hour_minute_second_millis", "2015-01-05T07:05:09.123", "2015-01-05T07:05:09.124")]
    [InlineData("date_hour_minute_second_fraction", "2015-01-05T07:05:09.123456", "2015-01-05T07:05:09.124")]
    [InlineData("strict_date_hour_minute_second_fraction", "2015-01-05T07:05:09.123", "2015-01-05T07:05:09.124")]
    [InlineData("date_time", "2015-01-05T07:05:09.123+01:00", "2015-01-05T07:05:09.123Z")]
    [InlineData("strict_date_time", "2015-01-05T07:05:09.123Z", "2015-01-05T07:05:09.124Z")]
    [InlineData("date_time_no_millis", "2015-01-05T07:05:09", "2015-01-05T07:05:10Z")]
    [InlineData("strict_date_time_no_millis", "2015-01-05T07:05:09+0100", "2015-01-05T07:05:09Z")]
    [InlineData("hour", "7", "8")]
    [InlineData("strict_hour", "07", "08")]
    [InlineData("hour_minute", "7:05", "7:06")]
    [InlineData("strict_hour_minute", "07:05", "07:06")]
    [InlineData("hour_minute_second", "7:05:09", "7:05:10")]
    [InlineData("strict_hour_minute_second", "07:05:09", "07:05:10")]
    [InlineData("hour_minute_second_millis", "07:05:09.1", "07:05:09.2")]
    [InlineData("strict_hour_minute_second_millis", "07:05:09.100", "07:05:09.200")]
    [InlineData("hour_minute_second_fraction", "07:05:09.123456", "07:05:09.2")]
    [InlineData("strict_hour_minute_second_fraction", "07:05:09.123", "07:05:09.2")]
    [InlineData("time", "7:05:09.1Z", "7:05:09.2Z")]
    [InlineData("strict_time", "07:05:09.100+01:00", "07:05:09.100Z")]
    [InlineData("time_no_millis", "7:05:09Z", "7:05:10Z")]
    [InlineData("strict_time_no_millis", "07:05:09Z", "07:05:10Z")]
    [InlineData("t_time", "T07:05:09.1Z", "T07:05:09.2Z")]
    [InlineData("strict_t_time", "T07:05:09.100Z", "T07:05:09.200Z")]
    [InlineData("t_time_no_millis", "T7:05:09Z", "T7:05:10Z")]
    [InlineData("strict_t_time_no_millis", "T07:05:09Z", "T07:05:10Z")]
    [InlineData("year", "2015", "2016")]
    [InlineData("strict_year", "2015", "2016")]
    [InlineData("year_month", "2015-1", "2015-02")]
    [InlineData("strict_year_month", "2015-01", "2015-02")]
    [InlineData("year_month_day", "2015-1-5", "2015-1-6")]
    [InlineData("strict_year_month_day", "2015-01-05", "2015-01-06")]
    [InlineData("dd/MM/yyyy HH:mm", "05/01/2015 07:05", "05/01/2015 07:06")]
    [InlineData("yyyy-MM-dd||epoch_millis", "1420070400001", "2015-01-02")]
    public void Range_BoundsInTheFieldsFormat_FindTheDocumentIndexedInIt(string format, string date, string later)
    {
        var mappings = new JsonObject { ["properties"] = new JsonObject { ["d"] = new JsonObject { ["type"] = "date", ["format"] = format } } };
        var documents = new[] { ("1", new JsonObject { ["d"] = date }.ToJsonString()), ("2", new JsonObject { ["d"] = later }.ToJsonString()) };
        using var index = new TestIndex("dates", mappings.ToJsonString(), documents);
        var query = new JsonObject { ["query"] = new JsonObject { ["range"] = new JsonObject { ["d"] = new JsonObject { ["gte"] = date, ["lte"] = date } } } };

        var response = index.Search(query.ToJsonString());

        Assert.Equal(["1"], SearchExecutorTests.Ids(response));
    }
}
