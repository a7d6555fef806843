using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// A sort clause resolved against one index's mapping: how to read, compare and print its keys there. Missing
/// numeric values are replaced by Elasticsearch's substitutes (<c>Long.MAX_VALUE</c>/<c>MIN_VALUE</c>, ±Infinity, or
/// the <c>missing</c> value) and keep them as their sort value; missing keywords are null and sort first or last.
/// </summary>
internal sealed class ResolvedSort
{
    private readonly FieldType? _type;
    private readonly string _mode;

    /// <summary>Added to every document number: the shard bits of <c>_shard_doc</c>, 0 otherwise.</summary>
    private readonly long _docOffset;

    private ResolvedSort(SortClause clause, SortValueKind kind, FieldMapping? field, FieldType? type, SortValue missing, long docOffset = 0)
    {
        _docOffset = docOffset;
        Clause = clause;
        Kind = kind;
        Field = field;
        _type = type;
        Missing = missing;
        _mode = clause.Mode ?? (clause.Descending ? "max" : "min");
    }

    public SortClause Clause { get; }

    public SortValueKind Kind { get; }

    /// <summary>The mapped field, or null for <c>_score</c>, <c>_doc</c> and an unmapped field sorted by <c>unmapped_type</c>.</summary>
    public FieldMapping? Field { get; }

    public bool Descending => Clause.Descending;

    /// <summary>The value a document without the field sorts (and reports) as.</summary>
    public SortValue Missing { get; }

    /// <summary>Resolves every clause for <paramref name="target"/>.</summary>
    /// <exception cref="EngineException">The shard-level failures Elasticsearch raises for unmapped, text and vector fields.</exception>
    public static ResolvedSort[] Resolve(IReadOnlyList<SortClause> clauses, SearchTarget target)
    {
        var resolved = new ResolvedSort[clauses.Count];
        for (var i = 0; i < clauses.Count; i++)
        {
            resolved[i] = Resolve(clauses[i], target);
        }

        return resolved;
    }

    /// <summary>Whether <paramref name="clauses"/> is Elasticsearch's "no sort": absent, or a lone descending <c>_score</c>.</summary>
    public static bool IsScoreOnly(IReadOnlyList<SortClause>? clauses) =>
        clauses is null || clauses.Count == 0 || (clauses.Count == 1 && clauses[0].Kind == SortKind.Score && clauses[0].Descending);

    /// <summary>Compares two keys in this clause's order (negative: <paramref name="a"/> first).</summary>
    public int Compare(in SortValue a, in SortValue b)
    {
        int c;
        switch (Kind)
        {
            case SortValueKind.Bytes:
                if (a.IsNull || b.IsNull)
                {
                    // Missing keywords go last (or first) whatever the order.
                    return a.IsNull == b.IsNull ? 0 : (a.IsNull ^ Clause.MissingFirst ? 1 : -1);
                }

                c = a.Span.SequenceCompareTo(b.Span);
                break;
            case SortValueKind.Long or SortValueKind.Doc:
                c = a.Long.CompareTo(b.Long);
                break;
            default:
                c = a.Double.CompareTo(b.Double);
                break;
        }

        return Descending ? -c : c;
    }

    /// <summary>The key as Elasticsearch prints it in a hit's <c>sort</c> array.</summary>
    public JsonNode? ToJson(in SortValue value)
    {
        switch (Kind)
        {
            case SortValueKind.Score:
                return JsonValue.Create((float)value.Double);
            case SortValueKind.Doc or SortValueKind.Long:
                return JsonValue.Create(value.Long);
            case SortValueKind.Bytes:
                return value.IsNull ? null : JsonValue.Create(Encoding.UTF8.GetString(value.Span));
            default:
                if (double.IsInfinity(value.Double))
                {
                    // Jackson quotes non-finite numbers.
                    return JsonValue.Create(value.Double > 0 ? "Infinity" : "-Infinity");
                }

                return _type is FieldType.Float or FieldType.HalfFloat ? JsonValue.Create((float)value.Double) : JsonValue.Create(value.Double);
        }
    }

    /// <summary>A <c>search_after</c> value as a key of this clause.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> when it does not parse for the field's type.</exception>
    public SortValue ParseAfter(JsonNode? node)
    {
        if (node is null)
        {
            return Kind == SortValueKind.Bytes ? new SortValue { IsNull = true } : Missing;
        }

        try
        {
            return Kind switch
            {
                SortValueKind.Score => new SortValue { Double = (float)JsonArgs.CoerceDouble(node) },
                SortValueKind.Doc => new SortValue { Long = Clause.Kind == SortKind.ShardDoc ? ParseLong(node) : checked((int)ParseLong(node)) },
                SortValueKind.Bytes => FromBytes(Encoding.UTF8.GetBytes(JsonArgs.Text(node))),
                SortValueKind.Long => new SortValue { Long = ParseLongValue(node) },
                _ => new SortValue { Double = JsonArgs.CoerceDouble(node) },
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or EngineException)
        {
            var field = Kind == SortValueKind.Score ? "null" : Clause.Field;
            throw EngineException.IllegalArgument($"Failed to parse search_after value for field [{field}].");
        }
    }

    /// <summary>The reader of this key for one segment.</summary>
    public LeafSortReader Open(AtomicReaderContext context)
    {
        var reader = context.AtomicReader;
        if (Kind == SortValueKind.Score)
        {
            return new ScoreReader();
        }

        if (Kind == SortValueKind.Doc)
        {
            return new DocReader(_docOffset + context.DocBase);
        }

        if (Field is null)
        {
            return new ConstantReader(Missing);
        }

        var path = Field.Path;
        return _type switch
        {
            FieldType.Keyword => new KeywordReader(reader.GetSortedSetDocValues(LuceneFieldNames.DocValues(path)), _mode == "max", Missing),
            FieldType.Boolean => new BooleanReader(reader.GetSortedSetDocValues(LuceneFieldNames.DocValues(path)), _mode, Missing),
            _ when Kind == SortValueKind.Long => new NumericReader(reader, path, _mode, Missing, floating: false),
            _ => new NumericReader(reader, path, _mode, Missing, floating: true),
        };
    }

    private static ResolvedSort Resolve(SortClause clause, SearchTarget target)
    {
        switch (clause.Kind)
        {
            case SortKind.Score:
                return new ResolvedSort(clause, SortValueKind.Score, null, null, default);
            case SortKind.Doc:
                return new ResolvedSort(clause, SortValueKind.Doc, null, null, default);
            case SortKind.ShardDoc:
                // Elasticsearch's ShardDocSortField: the shard's position in the request in the high 32 bits.
                return new ResolvedSort(clause, SortValueKind.Doc, null, null, default, (long)target.ShardRequestIndex << 32);
        }

        if (clause.Field == "_id")
        {
            throw SearchErrors.IdFieldData();
        }

        var field = target.Mapping.Find(clause.Field);
        FieldType type;
        if (field is null || field.Type == FieldType.Object)
        {
            if (clause.UnmappedType is null)
            {
                throw SearchErrors.QueryShard(target.IndexName, $"No mapping found for [{clause.Field}] in order to sort on");
            }

            if (!FieldTypes.TryParse(clause.UnmappedType, out type) || type == FieldType.Object)
            {
                throw EngineException.IllegalArgument($"No mapper found for type [{clause.UnmappedType}]");
            }

            field = null;
        }
        else
        {
            type = field.Type;
        }

        if (type == FieldType.Text)
        {
            throw SearchErrors.TextFieldData(clause.Field, target.IndexName);
        }

        if (type == FieldType.DenseVector)
        {
            throw EngineException.IllegalArgument($"Field [{clause.Field}] of type [dense_vector] doesn't support sort");
        }

        if (field is { DocValues: false })
        {
            throw SearchErrors.NoDocValues(clause.Field, FieldTypes.Name(type));
        }

        if (type == FieldType.Binary)
        {
            // Elasticsearch's BytesBinaryIndexFieldData.sortField.
            throw EngineException.IllegalArgument("can't sort on binary field");
        }

        var kind = type switch
        {
            FieldType.Keyword => SortValueKind.Bytes,
            _ when FieldTypes.IsFloatingPoint(type) => SortValueKind.Double,
            _ => SortValueKind.Long,
        };
        if (kind == SortValueKind.Bytes && clause.Mode is "sum" or "avg" or "median")
        {
            throw SearchErrors.QueryShard(target.IndexName, "we only support AVG, MEDIAN and SUM on number based fields");
        }

        var probe = new ResolvedSort(clause, kind, field, type, default);
        return new ResolvedSort(clause, kind, field, type, probe.MissingSubstitute());
    }

    /// <summary>Elasticsearch's substitute for a missing value: the <c>missing</c> value, or the extreme that sorts it last (first).</summary>
    private SortValue MissingSubstitute()
    {
        var value = Clause.MissingValue;
        var first = Clause.MissingFirst;
        if (Kind == SortValueKind.Bytes)
        {
            return value is null ? new SortValue { IsNull = true } : FromBytes(Encoding.UTF8.GetBytes(JsonArgs.Text(value)));
        }

        // Ascending puts the largest value last; descending the smallest.
        var high = first == Descending;
        if (value is null)
        {
            return Kind == SortValueKind.Long
                ? new SortValue { Long = high ? long.MaxValue : long.MinValue }
                : new SortValue { Double = high ? double.PositiveInfinity : double.NegativeInfinity };
        }

        try
        {
            return Kind == SortValueKind.Long ? new SortValue { Long = ParseLongValue(value) } : new SortValue { Double = JsonArgs.CoerceDouble(value) };
        }
        catch (FormatException)
        {
            throw SearchErrors.NumberFormat(JsonArgs.Text(value));
        }
    }

    /// <summary>A long-kind value from JSON: a number, a numeric string, a date (date fields), a boolean (boolean fields).</summary>
    private long ParseLongValue(JsonNode node)
    {
        if (_type == FieldType.Boolean)
        {
            if (JsonArgs.IsBoolean(node))
            {
                return JsonArgs.ReadBool(node) ? 1 : 0;
            }

            var text = JsonArgs.Text(node);
            return text switch
            {
                "true" => 1,
                "false" => 0,
                _ => ParseLong(node),
            };
        }

        if (_type == FieldType.Date && JsonArgs.IsString(node))
        {
            var text = node.GetValue<string>();
            return DateFormats.TryParse(text, Field?.Format, out var millis) ? millis : throw new FormatException(text);
        }

        return ParseLong(node);
    }

    private static long ParseLong(JsonNode node)
    {
        if (JsonArgs.IsNumber(node))
        {
            var d = JsonArgs.Number(node);
            return node.AsValue().TryGetValue<long>(out var l) ? l : checked((long)d);
        }

        var text = JsonArgs.Text(node);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : checked((long)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static SortValue FromBytes(byte[] bytes) => new() { Bytes = bytes, Offset = 0, Length = bytes.Length };

    /// <summary>Parses a numeric doc-values term (the decimal text the <c>#terms</c> field holds).</summary>
    private static bool TryParseTerm(BytesRef term, bool floating, out long l, out double d)
    {
        var span = DocValueTerms.Span(term);
        d = 0;
        l = 0;
        return floating ? DocValueTerms.TryParseDouble(span, out d) : DocValueTerms.TryParseLong(span, out l);
    }

    private sealed class ScoreReader : LeafSortReader
    {
        public override void Read(int doc, float score, ref SortValue value) => value.Double = score;
    }

    private sealed class DocReader(long docBase) : LeafSortReader
    {
        public override void Read(int doc, float score, ref SortValue value) => value.Long = docBase + doc;
    }

    private sealed class ConstantReader(SortValue constant) : LeafSortReader
    {
        public override void Read(int doc, float score, ref SortValue value) => value = constant;
    }

    private sealed class KeywordReader(SortedSetDocValues? values, bool max, SortValue missing) : LeafSortReader
    {
        private readonly BytesRef _scratch = new();

        public override void Read(int doc, float score, ref SortValue value)
        {
            if (values is null)
            {
                value = missing;
                return;
            }

            values.SetDocument(doc);
            var ord = values.NextOrd();
            if (ord == SortedSetDocValues.NO_MORE_ORDS)
            {
                value = missing;
                return;
            }

            if (max)
            {
                for (var next = values.NextOrd(); next != SortedSetDocValues.NO_MORE_ORDS; next = values.NextOrd())
                {
                    ord = next;
                }
            }

            values.LookupOrd(ord, _scratch);
            value.Bytes = _scratch.Bytes;
            value.Offset = _scratch.Offset;
            value.Length = _scratch.Length;
            value.IsNull = false;
        }
    }

    private sealed class BooleanReader : LeafSortReader
    {
        private readonly SortedSetDocValues? _values;
        private readonly string _mode;
        private readonly SortValue _missing;
        private readonly long _trueOrd;

        public BooleanReader(SortedSetDocValues? values, string mode, SortValue missing)
        {
            _values = values;
            _mode = mode;
            _missing = missing;
            _trueOrd = values?.LookupTerm(new BytesRef("true")) ?? -1;
        }

        public override void Read(int doc, float score, ref SortValue value)
        {
            if (_values is null)
            {
                value = _missing;
                return;
            }

            _values.SetDocument(doc);
            long count = 0, trues = 0;
            for (var ord = _values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = _values.NextOrd())
            {
                count++;
                trues += ord == _trueOrd ? 1 : 0;
            }

            if (count == 0)
            {
                value = _missing;
                return;
            }

            value.Long = _mode switch
            {
                "min" => trues == count ? 1 : 0,
                "max" => trues > 0 ? 1 : 0,
                "sum" => trues,
                _ => (long)Math.Round((double)trues / count, MidpointRounding.AwayFromZero),
            };
        }
    }

    private sealed class NumericReader : LeafSortReader
    {
        private readonly NumericDocValues? _min;
        private readonly IBits? _hasValue;
        private readonly SortedSetDocValues? _terms;
        private readonly string _mode;
        private readonly SortValue _missing;
        private readonly bool _floating;
        private readonly BytesRef _scratch = new();
        private readonly List<double> _doubles = [];
        private readonly List<long> _longs = [];

        public NumericReader(AtomicReader reader, string path, string mode, SortValue missing, bool floating)
        {
            _mode = mode;
            _missing = missing;
            _floating = floating;
            if (mode == "min")
            {
                _min = reader.GetNumericDocValues(LuceneFieldNames.DocValues(path));
                _hasValue = reader.GetDocsWithField(LuceneFieldNames.DocValues(path));
            }
            else
            {
                _terms = reader.GetSortedSetDocValues(LuceneFieldNames.Terms(path));
            }
        }

        public override void Read(int doc, float score, ref SortValue value)
        {
            if (_mode == "min")
            {
                if (_min is null || _hasValue is null || !_hasValue.Get(doc))
                {
                    value = _missing;
                    return;
                }

                var raw = _min.Get(doc);
                if (_floating)
                {
                    value.Double = NumericUtils.SortableInt64ToDouble(raw);
                }
                else
                {
                    value.Long = raw;
                }

                return;
            }

            _doubles.Clear();
            _longs.Clear();
            if (_terms is not null)
            {
                _terms.SetDocument(doc);
                for (var ord = _terms.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = _terms.NextOrd())
                {
                    _terms.LookupOrd(ord, _scratch);
                    if (TryParseTerm(_scratch, _floating, out var l, out var d))
                    {
                        if (_floating)
                        {
                            _doubles.Add(d);
                        }
                        else
                        {
                            _longs.Add(l);
                        }
                    }
                }
            }

            if (_doubles.Count == 0 && _longs.Count == 0)
            {
                value = _missing;
                return;
            }

            if (_floating)
            {
                _doubles.Sort();
                value.Double = _mode switch
                {
                    "max" => _doubles[^1],
                    "sum" => _doubles.Sum(),
                    "avg" => _doubles.Average(),
                    _ => Median(_doubles),
                };
                return;
            }

            _longs.Sort();
            value.Long = _mode switch
            {
                "max" => _longs[^1],
                "sum" => _longs.Sum(),
                // Elasticsearch rounds the average and median of integer values.
                "avg" => (long)Math.Round((double)_longs.Sum() / _longs.Count, MidpointRounding.AwayFromZero),
                _ => _longs.Count % 2 == 1
                    ? _longs[_longs.Count / 2]
                    : (long)Math.Round((_longs[(_longs.Count / 2) - 1] + (double)_longs[_longs.Count / 2]) / 2, MidpointRounding.AwayFromZero),
            };
        }

        private static double Median(List<double> sorted) =>
            sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
