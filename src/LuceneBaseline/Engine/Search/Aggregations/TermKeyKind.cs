namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>What a terms bucket key is and how Elasticsearch prints it.</summary>
internal enum TermKeyKind
{
    /// <summary>keyword: a string key.</summary>
    String,

    /// <summary>integer types: a long key.</summary>
    Long,

    /// <summary>floating-point types: a double key.</summary>
    Double,

    /// <summary>date: epoch milliseconds with <c>key_as_string</c>.</summary>
    Date,

    /// <summary>boolean: 1/0 with <c>key_as_string</c> <c>true</c>/<c>false</c>.</summary>
    Boolean,
}
