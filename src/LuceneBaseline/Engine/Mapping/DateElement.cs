namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// One part of a compiled date pattern, mirroring a java.time <c>DateTimeFormatterBuilder</c> call. Immutable.
/// </summary>
/// <remarks>
/// A <see cref="DateElementKind.Number"/> reads <see cref="MinWidth"/>..<see cref="MaxWidth"/> digits greedily;
/// <see cref="Reserved"/> is java.time's adjacent value parsing: digits left for the fixed-width numbers right after it
/// (<c>yMMdd</c> reads <c>20210105</c> as 2021-01-05). It prints padded to <see cref="MinWidth"/>. A
/// <see cref="DateElementKind.Fraction"/> reads <see cref="MinWidth"/>..<see cref="MaxWidth"/> digits (after a
/// <c>.</c> when <see cref="DecimalPoint"/>) and prints at least <see cref="MinWidth"/> digits.
/// </remarks>
internal sealed record DateElement(DateElementKind Kind)
{
    public string Text { get; init; } = "";

    public DateField Field { get; init; }

    public int MinWidth { get; init; }

    public int MaxWidth { get; init; }

    public int Reserved { get; init; }

    public bool DecimalPoint { get; init; }

    /// <summary>Full names (<c>MMMM</c>, <c>EEEE</c>) rather than abbreviations.</summary>
    public bool FullText { get; init; }

    /// <summary>Offset styles tried in order when parsing; the first prints.</summary>
    public DateOffsetStyle[] Offsets { get; init; } = [];

    public DateElement[] Children { get; init; } = [];

    /// <summary>Milliseconds per unit of an epoch element: 1 (<c>epoch_millis</c>) or 1000 (<c>epoch_second</c>).</summary>
    public long EpochUnit { get; init; }

    public static DateElement Literal(string text) => new(DateElementKind.Literal) { Text = text };

    public static DateElement Number(DateField field, int min, int max) =>
        new(DateElementKind.Number) { Field = field, MinWidth = min, MaxWidth = Math.Max(min, max) };

    public static DateElement Fraction(int min, int max, bool decimalPoint) =>
        new(DateElementKind.Fraction) { Field = DateField.Nanos, MinWidth = min, MaxWidth = max, DecimalPoint = decimalPoint };

    public static DateElement MonthText(bool full) => new(DateElementKind.MonthText) { Field = DateField.Month, FullText = full };

    public static DateElement DayOfWeekText(bool full) => new(DateElementKind.DayOfWeekText) { FullText = full };

    public static DateElement Offset(params DateOffsetStyle[] styles) => new(DateElementKind.Offset) { Offsets = styles };

    public static DateElement Optional(params DateElement[] children) => new(DateElementKind.Optional) { Children = children };

    public static DateElement Epoch(long unitMillis) => new(DateElementKind.Epoch) { EpochUnit = unitMillis };

    /// <summary>A fixed-width value that takes part in java.time's adjacent value parsing.</summary>
    public bool IsFixedWidthValue =>
        (Kind == DateElementKind.Number && MinWidth == MaxWidth) || (Kind == DateElementKind.Fraction && !DecimalPoint && MinWidth == MaxWidth);
}
