using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Lucene.Net.Util.Automaton;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Term-level queries by field type, as Elasticsearch's <c>MappedFieldType</c> implementations build them over the
/// engine's index layout (docs/embedded-engine-internals.md).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>text, keyword, boolean: a <see cref="TermQuery"/> on the exact indexed term (BM25-scored; text values are not
/// analysed); sets of terms and ranges score a constant.</item>
/// <item>integer types and floating types: the value parsed as the type parses it, matched exactly through the numeric
/// field (constant score, as Elasticsearch's point queries).</item>
/// <item>date: a term is the range from the value rounded down to the value rounded up (so <c>2020-01-01</c> matches
/// that whole day), with date math (constant score).</item>
/// <item><c>_id</c>: a constant-score term set; <c>_index</c>: all or nothing by the index name.</item>
/// <item>Unmapped fields match nothing. Failures are shard errors as Elasticsearch reports them.</item>
/// </list>
/// </remarks>
internal static class FieldQueries
{
    /// <summary>Elasticsearch's <c>BinaryFieldType.termQuery</c> error: a binary field has nothing to search.</summary>
    public const string BinaryNotSearchable = "Binary fields do not support searching";

    /// <summary>The query for one exact value (<c>term</c>, and each token of <c>match</c>).</summary>
    public static Query Term(QueryBuildContext context, string field, JsonNode value, bool caseInsensitive = false)
    {
        if (field == QueryBuildContext.IdField)
        {
            return caseInsensitive
                ? CaseInsensitive(context, field, JsonArgs.ValueText(value), prefix: false)
                : LuceneQueries.ConstantScore(new TermSetFilter(field, [new BytesRef(JsonArgs.ValueText(value))]));
        }

        if (field == QueryBuildContext.IndexField)
        {
            return IndexNameMatches(context, JsonArgs.ValueText(value), caseInsensitive) ? new MatchAllDocsQuery() : new MatchNoDocsQuery("The index name does not match.");
        }

        return OnMappedField(context, field, mapping =>
        {
            if (caseInsensitive)
            {
                return mapping.Type is FieldType.Text or FieldType.Keyword
                    ? CaseInsensitive(context, field, JsonArgs.ValueText(value), prefix: false)
                    : throw QueryErrors.IllegalArgument(
                        $"[{field}] field which is of type [{FieldTypes.Name(mapping.Type)}], does not support case insensitive term queries");
            }

            return mapping.Type switch
            {
                FieldType.Text or FieldType.Keyword => new TermQuery(new Term(field, JsonArgs.ValueText(value))),
                FieldType.Boolean => new TermQuery(new Term(field, BooleanTerm(value))),
                FieldType.Date => DateRange(context, mapping, value, value, includeLower: true, includeUpper: true, formatter: null, zone: null),
                _ when FieldTypes.IsInteger(mapping.Type) => IntegerTerm(mapping, value),
                _ when FieldTypes.IsFloatingPoint(mapping.Type) => FloatingTerm(mapping, value),
                FieldType.Binary => throw QueryErrors.IllegalArgument(BinaryNotSearchable),
                _ => throw QueryErrors.IllegalArgument($"Field [{field}] of type [{FieldTypes.Name(mapping.Type)}] doesn't support term queries"),
            };
        });
    }

    /// <summary>The constant-score query for any of several exact values (<c>terms</c>).</summary>
    public static Query Terms(QueryBuildContext context, string field, IReadOnlyList<JsonNode> values)
    {
        if (field == QueryBuildContext.IdField)
        {
            return LuceneQueries.ConstantScore(new TermSetFilter(field, values.Select(v => new BytesRef(JsonArgs.ValueText(v)))));
        }

        if (field == QueryBuildContext.IndexField)
        {
            return values.Any(v => IndexNameMatches(context, JsonArgs.ValueText(v), caseInsensitive: false))
                ? new MatchAllDocsQuery()
                : new MatchNoDocsQuery("The index name does not match.");
        }

        return OnMappedField(context, field, mapping =>
        {
            switch (mapping.Type)
            {
                case FieldType.Text or FieldType.Keyword:
                    return LuceneQueries.ConstantScore(new TermSetFilter(field, values.Select(v => new BytesRef(JsonArgs.ValueText(v)))));
                case FieldType.Boolean:
                    return LuceneQueries.ConstantScore(new TermSetFilter(field, values.Select(v => new BytesRef(BooleanTerm(v)))));
                case FieldType.Date:
                    var anyDate = LuceneQueries.NewBoolean();
                    foreach (var value in values)
                    {
                        anyDate.Add(DateRange(context, mapping, value, value, true, true, null, null), Occur.SHOULD);
                    }

                    return LuceneQueries.ConstantScore(anyDate);
                case var type when FieldTypes.IsInteger(type):
                    var integers = values.Where(v => !QueryNumbers.HasDecimalPart(v)).Select(v => QueryNumbers.ParseInteger(type, v)).ToList();
                    return integers.Count == 0
                        ? new MatchNoDocsQuery("All values have a decimal part")
                        : LuceneQueries.ConstantScore(new TermSetFilter(field, integers.Select(PrefixCoded)));
                case var type when FieldTypes.IsFloatingPoint(type):
                    return LuceneQueries.ConstantScore(new TermSetFilter(
                        field,
                        values.Select(v => PrefixCoded(NumericUtils.DoubleToSortableInt64(IndexedDouble(type, QueryNumbers.ParseFloating(type, v)))))));
                case FieldType.Binary:
                    throw QueryErrors.IllegalArgument(BinaryNotSearchable);
                default:
                    throw QueryErrors.IllegalArgument($"Field [{field}] of type [{FieldTypes.Name(mapping.Type)}] doesn't support term queries");
            }
        });
    }

    /// <summary>
    /// <c>range</c> on a mapped field; <paramref name="from"/>/<paramref name="to"/> null for an open end (both open is
    /// handled by the caller as <c>exists</c>).
    /// </summary>
    public static Query Range(
        QueryBuildContext context,
        string field,
        JsonNode? from,
        JsonNode? to,
        bool includeLower,
        bool includeUpper,
        DateFormatter? formatter,
        DateZone? zone)
    {
        return OnMappedField(context, field, mapping =>
        {
            return mapping.Type switch
            {
                FieldType.Text or FieldType.Keyword => LuceneQueries.ConstantScore(
                    new TermRangeQuery(field, TermBytes(from, JsonArgs.ValueText), TermBytes(to, JsonArgs.ValueText), includeLower, includeUpper)),
                FieldType.Boolean => LuceneQueries.ConstantScore(
                    new TermRangeQuery(field, TermBytes(from, BooleanTerm), TermBytes(to, BooleanTerm), includeLower, includeUpper)),
                FieldType.Date => DateRange(context, mapping, from, to, includeLower, includeUpper, formatter, zone),
                _ when FieldTypes.IsInteger(mapping.Type) => IntegerRange(mapping, from, to, includeLower, includeUpper),
                _ when FieldTypes.IsFloatingPoint(mapping.Type) => FloatingRange(mapping, from, to, includeLower, includeUpper),
                _ => throw QueryErrors.IllegalArgument($"Field [{field}] of type [{FieldTypes.Name(mapping.Type)}] does not support range queries"),
            };
        });
    }

    /// <summary><c>prefix</c>: text, keyword and <c>_id</c> fields only; constant score.</summary>
    public static Query Prefix(QueryBuildContext context, string field, string value, bool caseInsensitive)
    {
        if (!IsStringField(context, field, "prefix", out var none))
        {
            return none;
        }

        return caseInsensitive ? CaseInsensitive(context, field, value, prefix: true) : new PrefixQuery(new Term(field, value));
    }

    /// <summary>
    /// <c>wildcard</c> (<c>*</c> any run, <c>?</c> one character, <c>\</c> escapes): text, keyword and <c>_id</c> fields
    /// only; constant score. On text fields the pattern is lower-cased first, as Elasticsearch normalises it with the
    /// field's analyzer (every analyzer the engine has lower-cases).
    /// </summary>
    public static Query Wildcard(QueryBuildContext context, string field, string pattern, bool caseInsensitive)
    {
        if (!IsStringField(context, field, "wildcard", out var none))
        {
            return none;
        }

        if (context.LeafField(field)?.Type == FieldType.Text)
        {
            pattern = pattern.ToLowerInvariant();
        }

        // Bounded before Lucene.Net compiles the automaton (AutomatonLimits): a long or complex pattern would otherwise
        // overflow the stack or determinize for minutes.
        try
        {
            return caseInsensitive
                ? AutomatonLimits.Query(new Term(field, pattern), WildcardAutomaton(pattern, caseInsensitive: true))
                : AutomatonLimits.Wildcard(new Term(field, pattern));
        }
        catch (EngineException e)
        {
            throw context.ShardFailure(e);
        }
    }

    /// <summary>The value a floating field holds in the index for a parsed query value (Documents rounds float and half_float alike).</summary>
    public static double IndexedDouble(FieldType type, double value) => NumberValues.Round(type, value);

    private static bool IsStringField(QueryBuildContext context, string field, string queryName, out Query none)
    {
        none = new MatchNoDocsQuery($"unmapped field [{field}]");
        if (field == QueryBuildContext.IdField)
        {
            return true;
        }

        var mapping = context.LeafField(field);
        if (mapping is null)
        {
            return false;
        }

        if (mapping.Type is FieldType.Text or FieldType.Keyword)
        {
            try
            {
                CheckSearchable(mapping);
            }
            catch (EngineException e) when (!QueryErrors.IsUnsupported(e))
            {
                throw context.ShardFailure(e);
            }

            return true;
        }

        throw context.ShardFailure(
            $"Can only use {queryName} queries on keyword, text and wildcard fields - not on [{field}] which is of type [{FieldTypes.Name(mapping.Type)}]");
    }

    /// <summary>
    /// A query on a mapped leaf field: an unmapped field matches nothing, the field must be searchable
    /// (<see cref="CheckSearchable"/>), and a failure while building becomes a shard failure (the engine's own
    /// "not supported" refusals pass as they are).
    /// </summary>
    private static Query OnMappedField(QueryBuildContext context, string field, Func<FieldMapping, Query> build)
    {
        var mapping = context.LeafField(field);
        if (mapping is null)
        {
            return new MatchNoDocsQuery($"unmapped field [{field}]");
        }

        try
        {
            CheckSearchable(mapping);
            return build(mapping);
        }
        catch (EngineException e) when (!QueryErrors.IsUnsupported(e))
        {
            throw context.ShardFailure(e);
        }
    }

    /// <summary>
    /// A field mapped with <c>index: false</c> has no inverted terms. Elasticsearch then fails for text (<c>Cannot
    /// search on field [x] since it is not indexed.</c>) and falls back to doc values for the other types, which the
    /// engine does not implement: refused by name rather than matching nothing.
    /// </summary>
    public static void CheckSearchable(FieldMapping mapping)
    {
        // dense_vector and binary are never term-searchable; their own errors say so (not "not indexed").
        if (mapping.Index || mapping.Type is FieldType.DenseVector or FieldType.Binary)
        {
            return;
        }

        if (mapping.Type == FieldType.Text || !mapping.DocValues)
        {
            throw QueryErrors.IllegalArgument(mapping.Type == FieldType.Text
                ? $"Cannot search on field [{mapping.Path}] since it is not indexed."
                : $"Cannot search on field [{mapping.Path}] since it is not indexed nor has doc values.");
        }

        throw QueryErrors.Unsupported($"searching field [{mapping.Path}] (index: false) through its doc values");
    }

    private static Query IntegerTerm(FieldMapping mapping, JsonNode value)
    {
        if (QueryNumbers.HasDecimalPart(value))
        {
            return new MatchNoDocsQuery($"Value [{JsonArgs.ValueText(value)}] has a decimal part");
        }

        var exact = QueryNumbers.ParseInteger(mapping.Type, value);
        return NumericRangeQuery.NewInt64Range(mapping.Path, exact, exact, true, true);
    }

    private static Query FloatingTerm(FieldMapping mapping, JsonNode value)
    {
        var exact = IndexedDouble(mapping.Type, QueryNumbers.ParseFloating(mapping.Type, value));
        return NumericRangeQuery.NewDoubleRange(mapping.Path, exact, exact, true, true);
    }

    // Elasticsearch's integer range: decimal bounds round inwards (gte 1.5 -> 2, lte 1.5 -> 1, gte -1.5 -> -1),
    // exclusive integer bounds step by one.
    private static Query IntegerRange(FieldMapping mapping, JsonNode? from, JsonNode? to, bool includeLower, bool includeUpper)
    {
        var lower = long.MinValue;
        var upper = long.MaxValue;
        if (from is not null)
        {
            lower = QueryNumbers.ParseInteger(mapping.Type, from);
            var fraction = QueryNumbers.HasDecimalPart(from);
            if ((!fraction && !includeLower) || (fraction && QueryNumbers.Signum(from) > 0))
            {
                if (lower == long.MaxValue)
                {
                    return new MatchNoDocsQuery("The lower bound is above every value.");
                }

                lower++;
            }
        }

        if (to is not null)
        {
            upper = QueryNumbers.ParseInteger(mapping.Type, to);
            var fraction = QueryNumbers.HasDecimalPart(to);
            if ((!fraction && !includeUpper) || (fraction && QueryNumbers.Signum(to) < 0))
            {
                if (upper == long.MinValue)
                {
                    return new MatchNoDocsQuery("The upper bound is below every value.");
                }

                upper--;
            }
        }

        return NumericRangeQuery.NewInt64Range(mapping.Path, lower, upper, true, true);
    }

    // Elasticsearch compares in the field type's precision: bounds are parsed as double or float, an exclusive bound
    // steps to the next representable value; half_float bounds move to the nearest half-float inside the range.
    private static Query FloatingRange(FieldMapping mapping, JsonNode? from, JsonNode? to, bool includeLower, bool includeUpper)
    {
        var lower = from is null ? double.NegativeInfinity : InwardBound(mapping.Type, QueryNumbers.ObjectToDouble(from), includeLower, lower: true);
        var upper = to is null ? double.PositiveInfinity : InwardBound(mapping.Type, QueryNumbers.ObjectToDouble(to), includeUpper, lower: false);
        return NumericRangeQuery.NewDoubleRange(mapping.Path, lower, upper, true, true);
    }

    // One bound of FloatingRange: up for a lower bound, down for an upper one.
    private static double InwardBound(FieldType type, double bound, bool inclusive, bool lower)
    {
        switch (type)
        {
            case FieldType.Double:
                return inclusive ? bound : lower ? Math.BitIncrement(bound) : Math.BitDecrement(bound);
            case FieldType.Float:
                return inclusive ? (float)bound : lower ? MathF.BitIncrement((float)bound) : MathF.BitDecrement((float)bound);
            default:
                var half = (Half)(float)bound;
                var outside = lower ? (float)half < (float)bound : (float)half > (float)bound;
                if (outside || (!inclusive && (float)half == (float)bound))
                {
                    half = lower ? Half.BitIncrement(half) : Half.BitDecrement(half);
                }

                return (float)half;
        }
    }

    private static Query DateRange(
        QueryBuildContext context,
        FieldMapping mapping,
        JsonNode? from,
        JsonNode? to,
        bool includeLower,
        bool includeUpper,
        DateFormatter? formatter,
        DateZone? zone)
    {
        formatter ??= mapping.Format is null ? DateFormatter.Default : DateFormatter.ForPattern(mapping.Format);
        zone ??= DateZone.Utc;
        var lower = long.MinValue;
        var upper = long.MaxValue;
        if (from is not null)
        {
            lower = DateValue(context, from, roundUp: !includeLower, formatter, zone);
            if (!includeLower)
            {
                lower = lower == long.MaxValue ? lower : lower + 1;
            }
        }

        if (to is not null)
        {
            upper = DateValue(context, to, roundUp: includeUpper, formatter, zone);
            if (!includeUpper)
            {
                upper = upper == long.MinValue ? upper : upper - 1;
            }
        }

        return LuceneQueries.ConstantScore(NumericRangeQuery.NewInt64Range(mapping.Path, lower, upper, true, true));
    }

    private static long DateValue(QueryBuildContext context, JsonNode value, bool roundUp, DateFormatter formatter, DateZone zone)
    {
        // A JSON number is epoch milliseconds wherever the format takes them (the default does).
        if (JsonArgs.IsNumber(value) && formatter.AcceptsEpochMillis && JavaNumbers.ParseLong(value.ToJsonString()) is { } millis)
        {
            return millis;
        }

        return DateMath.Parse(JsonArgs.ValueText(value), context.Now, roundUp, zone, formatter);
    }

    private static BytesRef? TermBytes(JsonNode? value, Func<JsonNode, string> text) => value is null ? null : new BytesRef(text(value));

    private static BytesRef PrefixCoded(long value)
    {
        var bytes = new BytesRef(NumericUtils.BUF_SIZE_INT64);
        NumericUtils.Int64ToPrefixCoded(value, 0, bytes);
        return bytes;
    }

    private static string BooleanTerm(JsonNode value)
    {
        var text = JsonArgs.ValueText(value);
        return text switch
        {
            "true" or "false" => text,
            _ => throw QueryErrors.IllegalArgument($"Can't parse boolean value [{text}], expected [true] or [false]"),
        };
    }

    private static bool IndexNameMatches(QueryBuildContext context, string value, bool caseInsensitive) =>
        string.Equals(value, context.Index, caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static Query CaseInsensitive(QueryBuildContext context, string field, string value, bool prefix)
    {
        var automaton = BasicOperations.Concatenate(EnumerateRunes(value).Select(CaseInsensitiveRune).ToList());
        if (prefix)
        {
            automaton = BasicOperations.Concatenate(automaton, BasicAutomata.MakeAnyString());
        }

        try
        {
            return AutomatonLimits.Query(new Term(field, value), automaton);
        }
        catch (EngineException e)
        {
            throw context.ShardFailure(e);
        }
    }

    private static Automaton WildcardAutomaton(string pattern, bool caseInsensitive)
    {
        var parts = new List<Automaton>();
        var runes = EnumerateRunes(pattern).ToList();
        for (var i = 0; i < runes.Count; i++)
        {
            var rune = runes[i];
            switch (rune)
            {
                case '*':
                    parts.Add(BasicAutomata.MakeAnyString());
                    break;
                case '?':
                    parts.Add(BasicAutomata.MakeAnyChar());
                    break;
                case '\\' when i + 1 < runes.Count:
                    i++;
                    parts.Add(caseInsensitive ? CaseInsensitiveRune(runes[i]) : BasicAutomata.MakeChar(runes[i]));
                    break;
                default:
                    parts.Add(caseInsensitive ? CaseInsensitiveRune(rune) : BasicAutomata.MakeChar(rune));
                    break;
            }
        }

        return BasicOperations.Concatenate(parts);
    }

    // Elasticsearch's AutomatonQueries.toCaseInsensitiveChar: the code point or its other case.
    private static Automaton CaseInsensitiveRune(int codePoint)
    {
        var rune = new System.Text.Rune(codePoint);
        var other = System.Text.Rune.IsLower(rune) ? System.Text.Rune.ToUpperInvariant(rune) : System.Text.Rune.ToLowerInvariant(rune);
        return other.Value == codePoint
            ? BasicAutomata.MakeChar(codePoint)
            : BasicOperations.Union(BasicAutomata.MakeChar(codePoint), BasicAutomata.MakeChar(other.Value));
    }

    private static IEnumerable<int> EnumerateRunes(string text) => text.EnumerateRunes().Select(r => r.Value);
}
