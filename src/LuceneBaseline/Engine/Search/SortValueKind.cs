namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>How a resolved sort compares and prints its values.</summary>
internal enum SortValueKind
{
    /// <summary><c>_score</c>: a float in <see cref="SortValue.Double"/>.</summary>
    Score,

    /// <summary><c>_doc</c>: the index-local document number in <see cref="SortValue.Long"/>.</summary>
    Doc,

    /// <summary>keyword: bytes, null when missing.</summary>
    Bytes,

    /// <summary>long, integer, short, byte, date, boolean (0/1): <see cref="SortValue.Long"/>.</summary>
    Long,

    /// <summary>double, float, half_float: <see cref="SortValue.Double"/>.</summary>
    Double,
}
