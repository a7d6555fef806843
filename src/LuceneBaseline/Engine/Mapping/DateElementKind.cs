namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>What a <see cref="DateElement"/> is, after java.time's <c>DateTimeFormatterBuilder</c> parts.</summary>
internal enum DateElementKind
{
    /// <summary>Text that must appear as written (case-sensitive, as java.time parses by default).</summary>
    Literal,

    /// <summary>A decimal field of a minimum and maximum width (<c>appendValue</c>).</summary>
    Number,

    /// <summary>A fraction of the second (<c>appendFraction</c>), with or without its decimal point.</summary>
    Fraction,

    /// <summary>An English month name, short (<c>MMM</c>) or full (<c>MMMM</c>).</summary>
    MonthText,

    /// <summary>An English day-of-week name (<c>EEE</c>, <c>EEEE</c>); read and not checked against the date, as Elasticsearch resolves <c>y</c> patterns.</summary>
    DayOfWeekText,

    /// <summary>A zone offset in one of several styles, tried in order (<c>appendOffset</c>, <c>appendZoneOrOffsetId</c>).</summary>
    Offset,

    /// <summary>An optional section: when its children do not all match, nothing of it is kept.</summary>
    Optional,

    /// <summary>Elasticsearch's <c>epoch_millis</c> or <c>epoch_second</c>: a signed number with an optional fraction.</summary>
    Epoch,
}
