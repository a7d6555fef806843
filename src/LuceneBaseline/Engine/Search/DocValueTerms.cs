using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Reads a field's values from its sorted-set doc values, as Documents writes them: <c>#dv</c> for keyword and boolean
/// (the value's text), <c>#terms</c> for numbers and dates (the decimal text of a long, or a double's shortest
/// round-trip text). Used by <c>docvalue_fields</c>, sorting and the terms aggregation. Stateless and thread-safe.
/// </summary>
internal static class DocValueTerms
{
    /// <summary>The sorted-set doc values holding <paramref name="field"/>'s values in one segment, or null when it has none.</summary>
    public static SortedSetDocValues? Open(AtomicReader reader, FieldMapping field) =>
        reader.GetSortedSetDocValues(field.Type is FieldType.Keyword or FieldType.Boolean
            ? LuceneFieldNames.DocValues(field.Path)
            : LuceneFieldNames.Terms(field.Path));

    /// <summary>The bytes of a term the doc values looked up.</summary>
    public static ReadOnlySpan<byte> Span(BytesRef term) => term.Bytes.AsSpan(term.Offset, term.Length);

    /// <summary>An integer or date term; false when the bytes are not a decimal long.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> term, out long value) =>
        (Utf8Parser.TryParse(term, out value, out var used) && used == term.Length)
        || long.TryParse(Encoding.UTF8.GetString(term), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A floating-point term; false when the bytes are not a number.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> term, out double value) =>
        (Utf8Parser.TryParse(term, out value, out var used) && used == term.Length)
        || double.TryParse(Encoding.UTF8.GetString(term), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>An integer or date term, which Documents always writes as a decimal long.</summary>
    /// <exception cref="FormatException">The index holds something else there.</exception>
    public static long ParseLong(ReadOnlySpan<byte> term) =>
        TryParseLong(term, out var value) ? value : throw Malformed(term);

    /// <summary>A floating-point term, which Documents always writes as a number.</summary>
    /// <exception cref="FormatException">The index holds something else there.</exception>
    public static double ParseDouble(ReadOnlySpan<byte> term) =>
        TryParseDouble(term, out var value) ? value : throw Malformed(term);

    private static FormatException Malformed(ReadOnlySpan<byte> term) => new($"Not a numeric doc-values term: [{Encoding.UTF8.GetString(term)}]");
}
