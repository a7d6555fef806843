namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>The <c>multi_match</c> types the engine implements.</summary>
internal enum MultiMatchType
{
    /// <summary><c>best_fields</c>: the best field's score (plus tie_breaker times the others').</summary>
    BestFields,

    /// <summary><c>most_fields</c>: the fields' scores summed.</summary>
    MostFields,

    /// <summary><c>phrase</c>: best_fields over match_phrase queries.</summary>
    Phrase,
}
