using System.Collections.Frozen;
using static Rerank.LuceneBaseline.Engine.Mapping.DateElement;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Elasticsearch's built-in date formats, defined as <c>DateFormatters</c> and <c>EpochTime</c> build them: a printer
/// and one or more parsers each. Where a strict and a lenient variant exist the lenient one reads 1-2 digit fields and
/// a 1-5 digit year; the ISO zone is <c>Z</c>, <c>+01:00</c>, <c>+01:00:00</c>, <c>UTC</c>, or without a colon
/// <c>+01</c>/<c>+0100</c>; dates print in UTC with <c>Z</c>.
/// </summary>
internal static class NamedDateFormats
{
    // Built-in names the engine does not implement (week-based and ordinal dates): refused by name.
    private static readonly FrozenSet<string> Unsupported = new[]
    {
        "basic_ordinal_date", "basic_ordinal_date_time", "basic_ordinal_date_time_no_millis", "basic_week_date",
        "basic_week_date_time", "basic_week_date_time_no_millis", "ordinal_date", "ordinal_date_time",
        "ordinal_date_time_no_millis", "strict_basic_week_date", "strict_basic_week_date_time",
        "strict_basic_week_date_time_no_millis", "strict_ordinal_date", "strict_ordinal_date_time",
        "strict_ordinal_date_time_no_millis", "strict_week_date", "strict_week_date_time", "strict_week_date_time_no_millis",
        "strict_weekyear", "strict_weekyear_week", "strict_weekyear_week_day", "week_date", "week_date_time",
        "week_date_time_no_millis", "week_year", "weekyear", "weekyear_week", "weekyear_week_day",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, NamedDateFormat> Formats = Build();

    /// <summary>The built-in format <paramref name="name"/>; false for a custom pattern.</summary>
    /// <exception cref="ArgumentException">A built-in format the engine does not implement.</exception>
    public static bool TryGet(string name, out NamedDateFormat format)
    {
        if (Unsupported.Contains(name))
        {
            throw new ArgumentException($"the embedded engine does not support the built-in format [{name}]");
        }

        return Formats.TryGetValue(name, out format!);
    }

    private static FrozenDictionary<string, NamedDateFormat> Build()
    {
        // The pieces, named after the DateFormatters parts they mirror.
        var year4 = Number(DateField.Year, 4, 4);
        var month2 = Number(DateField.Month, 2, 2);
        var day2 = Number(DateField.Day, 2, 2);
        var hour2 = Number(DateField.Hour, 2, 2);
        var minute2 = Number(DateField.Minute, 2, 2);
        var second2 = Number(DateField.Second, 2, 2);
        var hour = Number(DateField.Hour, 1, 2);
        var minute = Number(DateField.Minute, 1, 2);
        var second = Number(DateField.Second, 1, 2);
        var dash = Literal("-");
        var colon = Literal(":");
        var t = Literal("T");
        var fraction = Fraction(1, 9, decimalPoint: true);
        var millis = Fraction(3, 3, decimalPoint: true);
        var isoZone = Offset(DateOffsetStyle.ZoneOrOffsetId, DateOffsetStyle.NoColon);
        var offset = Offset(DateOffsetStyle.Colon, DateOffsetStyle.NoColon);
        var printZone = Offset(DateOffsetStyle.Colon);

        DateElement[] strictYmd = [year4, Optional(dash, month2, Optional(dash, day2))];
        DateElement[] lenientYmd = [Number(DateField.Year, 1, 5), Optional(dash, Number(DateField.Month, 1, 2), Optional(dash, Number(DateField.Day, 1, 2)))];
        DateElement[] fullYmd = [year4, dash, month2, dash, day2];
        DateElement[] hms2 = [hour2, colon, minute2, colon, second2];
        DateElement[] hms = [hour, colon, minute, colon, second];
        DateElement[] basicHms = [hour2, minute2, second2];

        var dateTimePrinter = new DatePattern([.. fullYmd, t, .. hms2, millis, printZone]);
        var dateTimeNoMillisPrinter = new DatePattern([.. fullYmd, t, .. hms2, printZone]);
        var millisPrinter = new DatePattern([.. fullYmd, t, .. hms2, millis]);
        var timePrinter = new DatePattern([.. hms2, millis, printZone]);
        var timeNoMillisPrinter = new DatePattern([.. hms2, printZone]);
        var strictOptionalTime = new DatePattern(
        [
            .. strictYmd,
            Optional(t, Optional(hour2, Optional(colon, minute2, Optional(colon, second2, Optional(fraction), Optional(Literal(","), Fraction(1, 9, false))))), Optional(isoZone)),
        ]);

        var formats = new Dictionary<string, NamedDateFormat>(StringComparer.Ordinal)
        {
            ["epoch_millis"] = Same(new DatePattern(Epoch(1))),
            ["epoch_second"] = Same(new DatePattern(Epoch(1000))),
            ["strict_date_optional_time"] = new(dateTimePrinter, [strictOptionalTime]),
            ["iso8601"] = new(dateTimePrinter, [strictOptionalTime]),
            ["strict_date_optional_time_nanos"] = new(dateTimePrinter,
            [
                new DatePattern(
                [
                    .. strictYmd,
                    Optional([t, .. hms2, Optional(Fraction(3, 9, true)), Optional(Literal(","), Fraction(3, 9, false)), Optional(isoZone)]),
                ]),
            ]),
            ["date_optional_time"] = new(dateTimePrinter,
            [
                new DatePattern(
                [
                    .. lenientYmd,
                    Optional(t, Optional(hour, Optional(colon, minute, Optional(colon, second), Optional(fraction), Optional(Literal(","), Fraction(1, 9, false)), Optional(isoZone)))),
                ]),
            ]),
            ["basic_date"] = new(new DatePattern(year4, month2, day2), [new DatePattern(Number(DateField.Year, 1, 4), Number(DateField.Month, 1, 2), Number(DateField.Day, 1, 2))]),
            ["basic_date_time"] = new(new DatePattern(year4, month2, day2, t, hour2, minute2, second2, millis, printZone), [new DatePattern(year4, month2, day2, t, hour2, minute2, second2, fraction, isoZone)]),
            ["basic_date_time_no_millis"] = new(new DatePattern(year4, month2, day2, t, hour2, minute2, second2, printZone), [new DatePattern(year4, month2, day2, t, hour2, minute2, second2, isoZone)]),
            ["basic_time"] = new(new DatePattern([.. basicHms, millis, printZone]), [new DatePattern([.. basicHms, fraction, isoZone])]),
            ["basic_time_no_millis"] = new(new DatePattern([.. basicHms, printZone]), [new DatePattern([.. basicHms, isoZone])]),
            ["basic_t_time"] = new(new DatePattern([t, .. basicHms, millis, printZone]), [new DatePattern([t, .. basicHms, fraction, isoZone])]),
            ["basic_t_time_no_millis"] = new(new DatePattern([t, .. basicHms, printZone]), [new DatePattern([t, .. basicHms, isoZone])]),
            ["date"] = new(new DatePattern(fullYmd), [new DatePattern(lenientYmd)]),
            ["strict_date"] = Same(new DatePattern(fullYmd)),
            ["date_hour"] = new(new DatePattern([.. fullYmd, t, hour2]), [new DatePattern([.. lenientYmd, t, hour])]),
            ["strict_date_hour"] = Same(new DatePattern([.. fullYmd, t, hour2])),
            ["date_hour_minute"] = new(new DatePattern([.. fullYmd, t, hour2, colon, minute2]), [new DatePattern([.. lenientYmd, t, hour, colon, minute])]),
            ["strict_date_hour_minute"] = Same(new DatePattern([.. fullYmd, t, hour2, colon, minute2])),
            ["date_hour_minute_second"] = new(new DatePattern([.. fullYmd, t, .. hms2]), [new DatePattern([.. lenientYmd, t, .. hms])]),
            ["strict_date_hour_minute_second"] = Same(new DatePattern([.. fullYmd, t, .. hms2])),
            ["date_hour_minute_second_millis"] = new(millisPrinter, [new DatePattern([.. lenientYmd, t, .. hms, Fraction(1, 3, true)])]),
            ["strict_date_hour_minute_second_millis"] = new(millisPrinter, [new DatePattern([.. strictYmd, t, .. hms2, fraction])]),
            ["date_hour_minute_second_fraction"] = new(millisPrinter, [new DatePattern([.. lenientYmd, t, .. hms, fraction])]),
            ["strict_date_hour_minute_second_fraction"] = new(millisPrinter, [new DatePattern([.. strictYmd, t, .. hms2, fraction])]),
            ["date_time"] = new(dateTimePrinter, [new DatePattern([.. lenientYmd, t, hour, colon, minute, Optional(colon, second, fraction), offset])]),
            ["strict_date_time"] = new(dateTimePrinter, [new DatePattern([.. strictYmd, t, .. hms2, Optional(fraction), isoZone])]),
            ["date_time_no_millis"] = new(dateTimeNoMillisPrinter, [new DatePattern([.. lenientYmd, t, hour, colon, minute, Optional(colon, second), Optional(isoZone)])]),
            ["strict_date_time_no_millis"] = new(dateTimeNoMillisPrinter, [new DatePattern([.. strictYmd, t, .. hms2, isoZone])]),
            ["hour"] = new(new DatePattern(hour2), [new DatePattern(hour)]),
            ["strict_hour"] = Same(new DatePattern(hour2)),
            ["hour_minute"] = new(new DatePattern(hour2, colon, minute2), [new DatePattern(hour, colon, minute)]),
            ["strict_hour_minute"] = Same(new DatePattern(hour2, colon, minute2)),
            ["hour_minute_second"] = new(new DatePattern(hms2), [new DatePattern(hms)]),
            ["strict_hour_minute_second"] = Same(new DatePattern(hms2)),
            ["hour_minute_second_millis"] = new(new DatePattern([.. hms2, millis]), [new DatePattern([.. hms, Fraction(1, 3, true)])]),
            ["strict_hour_minute_second_millis"] = new(new DatePattern([.. hms2, millis]), [new DatePattern([.. hms2, fraction])]),
            ["hour_minute_second_fraction"] = new(new DatePattern([.. hms2, millis]), [new DatePattern([.. hms, fraction])]),
            ["strict_hour_minute_second_fraction"] = new(new DatePattern([.. hms2, millis]), [new DatePattern([.. hms2, fraction])]),
            ["time"] = new(timePrinter, [new DatePattern([.. hms, fraction, isoZone])]),
            ["strict_time"] = new(timePrinter, [new DatePattern([.. hms2, fraction, isoZone])]),
            ["time_no_millis"] = new(timeNoMillisPrinter, [new DatePattern([.. hms, isoZone])]),
            ["strict_time_no_millis"] = new(timeNoMillisPrinter, [new DatePattern([.. hms2, isoZone])]),
            ["t_time"] = new(new DatePattern([t, .. hms2, millis, printZone]), [new DatePattern([t, .. hms, fraction, isoZone])]),
            ["strict_t_time"] = new(new DatePattern([t, .. hms2, millis, printZone]), [new DatePattern([t, .. hms2, fraction, isoZone])]),
            ["t_time_no_millis"] = new(new DatePattern([t, .. hms2, printZone]), [new DatePattern([t, .. hms, isoZone])]),
            ["strict_t_time_no_millis"] = new(new DatePattern([t, .. hms2, printZone]), [new DatePattern([t, .. hms2, isoZone])]),
            ["year"] = Same(new DatePattern(Number(DateField.Year, 1, 19))),
            ["strict_year"] = Same(new DatePattern(year4)),
            ["year_month"] = new(new DatePattern(year4, dash, month2), [new DatePattern(Number(DateField.Year, 1, 19), dash, Number(DateField.Month, 1, 19))]),
            ["strict_year_month"] = Same(new DatePattern(year4, dash, month2)),
            ["year_month_day"] = new(new DatePattern(fullYmd), [new DatePattern(Number(DateField.Year, 1, 19), dash, Number(DateField.Month, 1, 19), dash, Number(DateField.Day, 1, 19))]),
            ["strict_year_month_day"] = new(new DatePattern(fullYmd), [new DatePattern(strictYmd)]),
        };
        return formats.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static NamedDateFormat Same(DatePattern pattern) => new(pattern, [pattern]);
}
