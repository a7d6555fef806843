using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Documents holding any of a set of exact terms in one field (Lucene's <c>TermInSetQuery</c>, which Elasticsearch
/// uses for <c>terms</c> and <c>ids</c>; Lucene.Net 4.8 core has none). Unlike a boolean query of term queries it has no
/// clause limit and scores nothing: wrap it in a <see cref="ConstantScoreQuery"/>. Thread-safe; immutable.
/// </summary>
internal sealed class TermSetFilter : Filter
{
    private readonly string _field;
    private readonly BytesRef[] _terms;

    /// <param name="field">The Lucene field name.</param>
    /// <param name="terms">The indexed term bytes (for numbers, the full-precision prefix-coded term).</param>
    public TermSetFilter(string field, IEnumerable<BytesRef> terms)
    {
        _field = field;
        _terms = terms.Distinct().ToArray();
        // Seeking in term order keeps the terms enum moving forward.
        Array.Sort(_terms);
    }

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
    {
        var reader = context.AtomicReader;
        var terms = reader.GetTerms(_field);
        if (terms is null)
        {
            return null;
        }

        var termsEnum = terms.GetEnumerator();
        FixedBitSet? result = null;
        DocsEnum? docs = null;
        foreach (var term in _terms)
        {
            if (!termsEnum.SeekExact(term))
            {
                continue;
            }

            docs = termsEnum.Docs(acceptDocs, docs, DocsFlags.NONE);
            result ??= new FixedBitSet(reader.MaxDoc);
            int doc;
            while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                result.Set(doc);
            }
        }

        return result;
    }

    public override string ToString() => $"{_field}:({string.Join(" ", _terms.Select(t => t.Utf8ToString()))})";
}
