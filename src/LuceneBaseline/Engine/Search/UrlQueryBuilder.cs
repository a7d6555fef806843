using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The <c>q</c> URL parameter: a subset of the Lucene query syntax Elasticsearch's <c>query_string</c> reads. Clauses
/// are separated by whitespace; each is a term or a <c>"quoted phrase"</c>, optionally prefixed by <c>field:</c> and by
/// <c>+</c> (must) or <c>-</c> (must not); <c>*</c> and <c>*:*</c> match everything. Without a field (and without
/// <c>df</c>) a clause searches every text, keyword, numeric, date and boolean field (<c>index.query.default_field</c>
/// is <c>*</c>), leniently, taking the best field's score. Clauses combine with <c>default_operator</c> (OR). Operators
/// (<c>AND</c>, <c>OR</c>, <c>NOT</c>), groups, ranges, wildcards, fuzziness, boosts and regular expressions are
/// refused with <c>illegal_argument_exception</c>.
/// </summary>
internal static class UrlQueryBuilder
{
    private const string Unsupported = "()[]{}^~?\\/!&|<>=";

    public static Query Build(UrlQuery q, SearchTarget target)
    {
        try
        {
            return BuildClauses(q, target);
        }
        catch (BooleanQuery.TooManyClausesException e)
        {
            // As the body form reports it (QueryDslParser.ToQuery): Lucene 4.8 caps a boolean query at 1024 clauses.
            throw Queries.QueryErrors.Shard(target.IndexName, new Errors.EngineException(400, "too_many_clauses", e.Message));
        }
    }

    private static Query BuildClauses(UrlQuery q, SearchTarget target)
    {
        var clauses = Split(q.Text);
        var query = new BooleanQuery(disableCoord: true);
        var positive = false;
        foreach (var raw in clauses)
        {
            var clause = raw;
            var occur = q.DefaultOperatorAnd ? Occur.MUST : Occur.SHOULD;
            if (clause.Length > 1 && clause[0] is '+' or '-')
            {
                occur = clause[0] == '+' ? Occur.MUST : Occur.MUST_NOT;
                clause = clause[1..];
            }

            if (clause is "AND" or "OR" or "NOT" or "&&" or "||")
            {
                throw SearchErrors.Unsupported($"the query syntax [{clause}] in the [q] parameter");
            }

            string? field = null;
            var colon = clause.StartsWith('"') ? -1 : clause.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                field = clause[..colon];
                clause = clause[(colon + 1)..];
            }

            Query part;
            if ((field is null or "*" && clause == "*") || (field is null && clause == "*:*"))
            {
                part = new MatchAllDocsQuery();
            }
            else
            {
                var phrase = clause.Length >= 2 && clause[0] == '"' && clause[^1] == '"';
                var text = phrase ? clause[1..^1] : clause;
                if ((field is not null && Glob.HasWildcard(field)) || (!phrase && text.AsSpan().IndexOfAny(Unsupported.AsSpan()) >= 0) || (!phrase && text.Contains('*', StringComparison.Ordinal)) || text.Length == 0)
                {
                    throw SearchErrors.Unsupported($"the query syntax [{raw}] in the [q] parameter");
                }

                part = FieldQuery(field ?? q.DefaultField, text, phrase, q, target);
            }

            positive |= occur != Occur.MUST_NOT;
            query.Add(part, occur);
        }

        if (!positive)
        {
            // A purely negative query matches everything else, as Elasticsearch arranges.
            query.Add(new MatchAllDocsQuery(), Occur.MUST);
        }

        return query;
    }

    private static List<string> Split(string text)
    {
        var clauses = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                {
                    clauses.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            current.Append(c);
        }

        if (quoted)
        {
            throw SearchErrors.Unsupported("an unterminated phrase in the [q] parameter");
        }

        if (current.Length > 0)
        {
            clauses.Add(current.ToString());
        }

        return clauses;
    }

    private static Query FieldQuery(string? field, string text, bool phrase, UrlQuery q, SearchTarget target)
    {
        if (field is null or "*")
        {
            var any = new DisjunctionMaxQuery(0f);
            foreach (var mapping in target.Mapping.FieldsByPath.Values)
            {
                if (mapping.Type is not FieldType.Object and not FieldType.DenseVector && mapping.Index && SingleField(mapping, text, phrase, lenient: true, target) is { } part)
                {
                    any.Add(part);
                }
            }

            return any.Disjuncts.Count == 0 ? new BooleanQuery() : any;
        }

        var single = target.Mapping.Find(field);
        return single is null || single.Type is FieldType.Object or FieldType.DenseVector
            ? new BooleanQuery()
            : SingleField(single, text, phrase, q.Lenient, target) ?? new BooleanQuery();
    }

    private static Query? SingleField(FieldMapping field, string text, bool phrase, bool lenient, SearchTarget target)
    {
        var path = field.Path;
        switch (field.Type)
        {
            case FieldType.Text:
                return Analyzed(path, text, phrase, target);
            case FieldType.Keyword:
                return new TermQuery(new Term(path, text));
            case FieldType.Binary:
                return Fail(lenient, target, Queries.FieldQueries.BinaryNotSearchable);
            case FieldType.Boolean:
                return JavaBooleans.IsBoolean(text) ? new TermQuery(new Term(path, text)) : Fail(lenient, target, JavaBooleans.InvalidReason(text));
            case FieldType.Date:
                return DateFormats.TryParse(text, field.Format, out var millis)
                    ? NumericRangeQuery.NewInt64Range(path, millis, millis, true, true)
                    : Fail(lenient, target, $"failed to parse date field [{text}] with format [{field.Format ?? DateFormats.Default}]");
            default:
                if (FieldTypes.IsFloatingPoint(field.Type))
                {
                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                        ? NumericRangeQuery.NewDoubleRange(path, d, d, true, true)
                        : Fail(lenient, target, $"For input string: \"{text}\"");
                }

                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    ? NumericRangeQuery.NewInt64Range(path, l, l, true, true)
                    : Fail(lenient, target, $"For input string: \"{text}\"");
        }
    }

    private static Query? Fail(bool lenient, SearchTarget target, string reason) => lenient
        ? null
        : throw new ShardFailureException(SearchErrors.FailedToCreateQuery(target.IndexName, Errors.EngineException.IllegalArgument(reason)));

    private static Query? Analyzed(string field, string text, bool phrase, SearchTarget target)
    {
        var terms = new List<(string Term, int Position)>();
        using (var stream = target.Analyzer.GetTokenStream(field, new StringReader(text)))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var increment = stream.AddAttribute<IPositionIncrementAttribute>();
            stream.Reset();
            var position = -1;
            while (stream.IncrementToken())
            {
                position += increment.PositionIncrement;
                terms.Add((term.ToString(), position));
            }

            stream.End();
        }

        if (terms.Count == 0)
        {
            return null;
        }

        if (terms.Count == 1)
        {
            return new TermQuery(new Term(field, terms[0].Term));
        }

        if (phrase)
        {
            // Each term of a phrase counts against maxClauseCount, as in the body form (MatchQueryParser.Phrase).
            if (terms.Count > BooleanQuery.MaxClauseCount)
            {
                throw new BooleanQuery.TooManyClausesException();
            }

            var query = new PhraseQuery();
            foreach (var (t, position) in terms)
            {
                query.Add(new Term(field, t), position);
            }

            return query;
        }

        var any = new BooleanQuery();
        foreach (var (t, _) in terms)
        {
            any.Add(new TermQuery(new Term(field, t)), Occur.SHOULD);
        }

        return any;
    }
}
