using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>
/// Ends a token stream at the first token starting after a character offset (the request's
/// <c>max_analyzed_offset</c>): the text after it is still returned, but not analysed, so never highlighted.
/// </summary>
internal sealed class OffsetLimitFilter : TokenFilter
{
    private readonly int _limit;
    private readonly IOffsetAttribute _offsets;

    public OffsetLimitFilter(TokenStream input, int limit)
        : base(input)
    {
        _limit = limit;
        _offsets = AddAttribute<IOffsetAttribute>();
    }

    public override bool IncrementToken() => m_input.IncrementToken() && _offsets.StartOffset <= _limit;
}
