namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>How <see cref="MatchQueryParser"/> combines analysed tokens.</summary>
internal enum MatchType
{
    /// <summary>One clause per position, joined by the operator (<c>match</c>, <c>best_fields</c>, <c>most_fields</c>).</summary>
    Boolean,

    /// <summary>The positions in order, within <c>slop</c> (<c>match_phrase</c>, <c>phrase</c>).</summary>
    Phrase,
}
