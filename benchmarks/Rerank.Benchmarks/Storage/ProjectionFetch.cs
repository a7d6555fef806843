namespace Rerank.Benchmarks.Storage;

/// <summary>How a first-stage search asks for the passage projection u_p of its hits.</summary>
internal enum ProjectionFetch
{
    /// <summary><c>_source: false</c> and <c>fields: [path]</c>: values read from _source through the mapping.</summary>
    Fields,

    /// <summary><c>_source: false</c> and <c>docvalue_fields: [path]</c>: a binary field's doc values as Base64.</summary>
    DocValueFields,

    /// <summary><c>_source: [path]</c>: the stored JSON of the projection as it was written.</summary>
    Source,
}
