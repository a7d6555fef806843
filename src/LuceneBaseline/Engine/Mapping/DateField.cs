namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>The calendar and clock fields a date pattern element reads or prints (the java.time fields the engine knows).</summary>
internal enum DateField
{
    /// <summary>The proleptic year (<c>u</c>, or <c>y</c>: year of era, the same for the years 1..9999 the engine keeps).</summary>
    Year,

    /// <summary>A two-digit year (<c>yy</c>), 2000..2099 as java.time's reduced value with base 2000.</summary>
    TwoDigitYear,

    Month,
    Day,
    DayOfYear,
    Hour,
    Minute,
    Second,

    /// <summary>Nanoseconds of the second, read from a fraction.</summary>
    Nanos,
}
