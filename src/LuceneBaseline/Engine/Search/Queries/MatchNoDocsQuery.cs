using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// A query matching no document (Lucene 4.8 has no <c>MatchNoDocsQuery</c>; a boolean query without clauses matches
/// nothing). The reason is what Elasticsearch would name in its <c>MatchNoDocsQuery</c>, for <c>ToString</c>.
/// </summary>
internal sealed class MatchNoDocsQuery : BooleanQuery
{
    public MatchNoDocsQuery(string reason)
        : base(disableCoord: true)
    {
        Reason = reason;
    }

    public string Reason { get; }

    public override string ToString(string field) => $"MatchNoDocsQuery(\"{Reason}\")";
}
