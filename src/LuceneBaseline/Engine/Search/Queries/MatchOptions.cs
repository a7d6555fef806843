using Lucene.Net.Analysis;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>The parameters of a match-family query that shape each field's query.</summary>
/// <param name="Operator">SHOULD for <c>or</c> (default), MUST for <c>and</c>.</param>
/// <param name="Analyzer">The <c>analyzer</c> parameter's analyzer, or null for each field's own.</param>
/// <param name="Slop">Phrase slop (default 0).</param>
/// <param name="Lenient">Whether values a field cannot parse match nothing instead of failing.</param>
/// <param name="ZeroTermsAll"><c>zero_terms_query: all</c>: text without tokens matches everything (default: nothing).</param>
/// <param name="MinimumShouldMatch">The <c>minimum_should_match</c> specification, or null.</param>
internal sealed record MatchOptions(Occur Operator, Analyzer? Analyzer, int Slop, bool Lenient, bool ZeroTermsAll, string? MinimumShouldMatch);
