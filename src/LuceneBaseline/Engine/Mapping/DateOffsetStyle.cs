namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// One way of writing a zone offset: a java.time offset pattern (<c>+HH:MM</c>, <c>+HHmm</c>, <c>+HH:MM:ss</c>, ...;
/// upper case parts are required, lower case optional) with the text that stands for a zero offset (<c>Z</c>,
/// <c>+00</c>, <c>+0000</c>), or <see cref="ZoneOrOffsetId"/>: java.time's <c>appendZoneOrOffsetId</c>
/// (<c>Z</c>, <c>+01:00</c>, <c>+01:00:00</c>, <c>UTC</c>, <c>GMT+01:00</c>; region ids such as <c>Europe/Paris</c>
/// are not read by the engine).
/// </summary>
internal sealed record DateOffsetStyle(string Pattern, string ZeroText)
{
    public static DateOffsetStyle ZoneOrOffsetId { get; } = new("ID", "Z");

    /// <summary><c>+HH:MM</c> with <c>Z</c>: how Elasticsearch's ISO formats print an offset (UTC prints <c>Z</c>).</summary>
    public static DateOffsetStyle Colon { get; } = new("+HH:MM", "Z");

    /// <summary><c>+HHmm</c> with <c>Z</c>: Elasticsearch's offset without a colon (<c>+01</c>, <c>+0130</c>).</summary>
    public static DateOffsetStyle NoColon { get; } = new("+HHmm", "Z");

    public bool IsZoneOrOffsetId => Pattern == "ID";
}
