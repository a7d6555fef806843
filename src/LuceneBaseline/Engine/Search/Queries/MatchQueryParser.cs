using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Builds the per-field query of <c>match</c>, <c>match_phrase</c> and <c>multi_match</c> (Elasticsearch's
/// <c>MatchQueryParser</c> over Lucene's <c>QueryBuilder</c>).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Unmapped field: matches nothing. A dense_vector field: <c>does not support match queries</c> (nothing when
/// <c>lenient</c>).</item>
/// <item>The analyzer: the <c>analyzer</c> parameter, else the field's own for text fields, else keyword (the whole
/// value is one term, so on keyword, numeric, date and boolean fields match is a term query on the parsed value).</item>
/// <item>No tokens: <c>zero_terms_query</c> (none: nothing; all: match_all). One token: its term query.</item>
/// <item>Boolean: one clause per position with the operator (SHOULD for <c>or</c>, MUST for <c>and</c>); tokens sharing a
/// position form a SHOULD group (Elasticsearch uses a SynonymQuery there; the engine's analyzers never stack tokens, CJK
/// bigrams included, so this does not arise with them). <c>minimum_should_match</c> then applies to the clause count.
/// Repeated terms are merged into one clause with their count as boost where Lucene 9's rewrite merges them (MUST
/// always, SHOULD when at most one should clause is required): same matches, same score.</item>
/// <item>Phrase (more than one position): a phrase query with <c>slop</c>, a multi-phrase query when positions hold
/// several tokens; only on text fields.</item>
/// </list>
/// Each term goes through <see cref="FieldQueries.Term"/>; with <c>lenient</c> a value the field cannot parse matches
/// nothing instead of failing.
/// </remarks>
internal static class MatchQueryParser
{
    /// <summary>The query for one field, or the zero-terms query when analysis yields no token.</summary>
    public static Query Build(QueryBuildContext context, MatchType type, string field, JsonNode value, MatchOptions options)
    {
        if (field is QueryBuildContext.IdField or QueryBuildContext.IndexField)
        {
            return NewTermQuery(context, field, JsonArgs.ParserText(value), options.Lenient);
        }

        var mapping = context.LeafField(field);
        if (mapping is null)
        {
            return new MatchNoDocsQuery($"unmapped fields [{field}]");
        }

        if (mapping.Type == FieldType.DenseVector)
        {
            var error = QueryErrors.IllegalArgument($"Field [{field}] of type [{FieldTypes.Name(mapping.Type)}] does not support match queries");
            return options.Lenient ? new MatchNoDocsQuery($"failed [{field}] query, caused by illegal_argument_exception:[{error.Reason}]") : throw context.ShardFailure(error);
        }

        var analyzer = options.Analyzer ?? (mapping.Type == FieldType.Text ? context.Analyzer : null);
        var text = JsonArgs.ParserText(value);
        if (analyzer is null || QueryAnalyzers.IsKeyword(analyzer))
        {
            return NewTermQuery(context, field, text, options.Lenient);
        }

        var tokens = TextAnalysis.Analyze(analyzer, field, text);
        if (tokens.Count == 0)
        {
            return options.ZeroTermsAll ? new MatchAllDocsQuery() : new MatchNoDocsQuery("Matching no documents because no terms present");
        }

        if (tokens.Count == 1)
        {
            return NewTermQuery(context, field, tokens[0].Term, options.Lenient);
        }

        var positions = TextAnalysis.ByPosition(tokens);
        if (type == MatchType.Phrase && positions.Count > 1)
        {
            return Phrase(context, mapping, tokens, positions, options.Slop);
        }

        if (positions.Count == 1)
        {
            return SamePosition(context, field, positions[0], options.Lenient);
        }

        var clauses = positions
            .Select(p => p.Count == 1 ? NewTermQuery(context, field, p[0], options.Lenient) : SamePosition(context, field, p, options.Lenient))
            .ToList();
        var minimum = 0;
        if (options.MinimumShouldMatch is not null)
        {
            var optional = options.Operator == Occur.SHOULD ? clauses.Count : 0;
            minimum = MinimumShouldMatch.Calculate(optional, options.MinimumShouldMatch, context);
        }

        var query = MergeRepeatedTerms(clauses, options.Operator, mergeShould: minimum <= 1);
        if (minimum > 0)
        {
            query.MinimumNumberShouldMatch = minimum;
        }

        return query;
    }

    /// <summary>An explicit <c>analyzer</c> parameter's analyzer (a shard failure when Elasticsearch would not find it).</summary>
    public static Analyzer? ResolveAnalyzer(QueryBuildContext context, string queryName, string? name)
    {
        if (name is null)
        {
            return null;
        }

        return QueryAnalyzers.Find(name) ?? throw context.ShardFailure($"[{queryName}] analyzer [{name}] not found");
    }

    private static Query NewTermQuery(QueryBuildContext context, string field, string term, bool lenient)
    {
        try
        {
            return FieldQueries.Term(context, field, JsonValue.Create(term));
        }
        catch (EngineException e) when (lenient && !QueryErrors.IsUnsupported(e))
        {
            var cause = e.Extra?["caused_by"] is JsonObject inner ? $"{inner["type"]}:[{inner["reason"]}]" : $"{e.Type}:[{e.Reason}]";
            return new MatchNoDocsQuery($"failed [{field}] query, caused by {cause}");
        }
    }

    private static Query SamePosition(QueryBuildContext context, string field, List<string> terms, bool lenient)
    {
        var synonyms = LuceneQueries.NewBoolean();
        foreach (var term in terms)
        {
            synonyms.Add(NewTermQuery(context, field, term, lenient), Occur.SHOULD);
        }

        return synonyms;
    }

    private static Query Phrase(QueryBuildContext context, FieldMapping mapping, List<AnalyzedToken> tokens, List<List<string>> positions, int slop)
    {
        try
        {
            if (mapping.Type != FieldType.Text)
            {
                throw QueryErrors.IllegalArgument(
                    $"Can only use phrase queries on text fields - not on [{mapping.Path}] which is of type [{FieldTypes.Name(mapping.Type)}]");
            }

            FieldQueries.CheckSearchable(mapping);
        }
        catch (EngineException e) when (!QueryErrors.IsUnsupported(e))
        {
            throw context.ShardFailure(e);
        }

        // Lucene 9 counts each term of a phrase against maxClauseCount, as it counts boolean clauses; Lucene.Net 4.8
        // does not, and a phrase of 200,000 terms then ran for minutes. The same 1,024 as for boolean queries.
        if (tokens.Count > BooleanQuery.MaxClauseCount)
        {
            throw new BooleanQuery.TooManyClausesException();
        }

        if (positions.All(p => p.Count == 1))
        {
            var phrase = new PhraseQuery { Slop = slop };
            foreach (var token in tokens)
            {
                phrase.Add(new Term(mapping.Path, token.Term), token.Position);
            }

            return phrase;
        }

        var multiPhrase = new MultiPhraseQuery { Slop = slop };
        foreach (var group in tokens.GroupBy(t => t.Position))
        {
            multiPhrase.Add(group.Select(t => new Term(mapping.Path, t.Term)).ToArray(), group.Key);
        }

        return multiPhrase;
    }

    // Lucene 9's BooleanQuery.rewrite sums the boosts of identical MUST clauses, and of identical SHOULD clauses when
    // at most one is required; Lucene 4.8 does not, and a long query could then hit its 1024-clause limit.
    private static BooleanQuery MergeRepeatedTerms(List<Query> clauses, Occur occur, bool mergeShould)
    {
        var merged = LuceneQueries.NewBoolean();
        var mergeable = occur == Occur.MUST || mergeShould;
        var index = new Dictionary<Term, TermQuery>();
        foreach (var clause in clauses)
        {
            if (mergeable && clause is TermQuery term)
            {
                if (index.TryGetValue(term.Term, out var existing))
                {
                    existing.Boost += term.Boost;
                    continue;
                }

                index[term.Term] = term;
            }

            merged.Add(clause, occur);
        }

        return merged;
    }
}
