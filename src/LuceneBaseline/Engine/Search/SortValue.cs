namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// One sort key of one document: a long (integers, dates, booleans, <c>_doc</c>), a double (floating-point fields,
/// <c>_score</c>) or UTF-8 bytes (keywords; <see cref="IsNull"/> when the document has no value). While collecting, the
/// bytes may point into a doc-values buffer that the next read overwrites; <see cref="Detach"/> copies them.
/// </summary>
internal struct SortValue
{
    public long Long;
    public double Double;
    public byte[]? Bytes;
    public int Offset;
    public int Length;
    public bool IsNull;

    public readonly ReadOnlySpan<byte> Span => Bytes is null ? default : Bytes.AsSpan(Offset, Length);

    /// <summary>A copy that owns its bytes.</summary>
    public readonly SortValue Detach()
    {
        var copy = this;
        if (Bytes is not null && !IsNull)
        {
            copy.Bytes = Span.ToArray();
            copy.Offset = 0;
        }

        return copy;
    }
}
