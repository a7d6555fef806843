using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>
/// Runs aggregations in two steps, as Elasticsearch does: each index computes partial results over the documents
/// its query matched (<see cref="Compute"/>), then the partials of all indices are reduced into the response
/// (<see cref="Reduce"/>). With several indices a terms aggregation keeps <c>shard_size</c> buckets per index and
/// reports <c>doc_count_error_upper_bound</c> and <c>sum_other_doc_count</c> as Elasticsearch does.
/// </summary>
/// <remarks>
/// Values come from doc values: keyword and boolean from <c>{path}#dv</c>, numbers and dates from the decimal strings
/// of <c>{path}#terms</c>. Those are sorted sets, so a value repeated within one document counts once (Elasticsearch
/// keeps repeats of numeric values for <c>sum</c>, <c>avg</c>, <c>value_count</c> and <c>stats</c>).
/// </remarks>
internal static class AggregationExecutor
{
    private static readonly string[] StatsMetrics = ["count", "min", "max", "avg", "sum"];

    /// <summary>Checks the aggregations against the index's mapping and builds their filter queries.</summary>
    /// <exception cref="EngineException">The shard-level failures Elasticsearch raises (text and vector fields, ...).</exception>
    public static PreparedAggregation[] Prepare(IReadOnlyList<AggregationSpec> specs, SearchTarget target, Func<QueryNode, Query> parseQuery)
    {
        var prepared = new PreparedAggregation[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            FieldMapping? field = null;
            Query? filter = null;
            if (spec.Type == AggregationType.Filter)
            {
                filter = parseQuery(spec.FilterQuery!);
            }
            else
            {
                if (spec.Field == "_id")
                {
                    throw SearchErrors.IdFieldData();
                }

                field = target.Mapping.Find(spec.Field!);
                if (field?.Type == FieldType.Object)
                {
                    field = null;
                }

                CheckField(spec, field, target.IndexName);
            }

            if (spec.Type == AggregationType.Terms)
            {
                foreach (var order in spec.Order)
                {
                    if (order.Key is not "_count" and not "_key")
                    {
                        CheckOrderPath(order.Key, spec);
                    }
                }
            }

            prepared[i] = new PreparedAggregation(spec, field, filter, Prepare(spec.SubAggregations, target, parseQuery));
        }

        return prepared;
    }

    /// <summary>The partial results of one index over <paramref name="docs"/>, by aggregation name.</summary>
    public static Dictionary<string, AggregationPartial> Compute(
        IReadOnlyList<PreparedAggregation> aggregations, IndexSearcher searcher, DocSet docs, bool multipleIndices, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, AggregationPartial>(StringComparer.Ordinal);
        foreach (var aggregation in aggregations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var partial = new AggregationPartial(aggregation.Spec) { Field = aggregation.Field };
            switch (aggregation.Spec.Type)
            {
                case AggregationType.Terms:
                    ComputeTerms(aggregation, searcher, docs, partial, multipleIndices, cancellationToken);
                    break;
                case AggregationType.Filter:
                    var matching = FilterDocs(searcher, aggregation.Filter!, docs);
                    partial.DocCount = matching.Count;
                    partial.Subs = Compute(aggregation.Children, searcher, matching, multipleIndices, cancellationToken);
                    break;
                case AggregationType.Missing:
                    var missing = MissingDocs(searcher, aggregation.Field, docs);
                    partial.DocCount = missing.Count;
                    partial.Subs = Compute(aggregation.Children, searcher, missing, multipleIndices, cancellationToken);
                    break;
                default:
                    ComputeMetric(aggregation, searcher, docs, partial);
                    break;
            }

            result[aggregation.Spec.Name] = partial;
        }

        return result;
    }

    /// <summary>
    /// The partials of aggregations over no documents: what an index answers for the aggregations it had no time left
    /// to compute (a search past its time bound answers with what it collected, as Elasticsearch does).
    /// </summary>
    public static Dictionary<string, AggregationPartial> Empty(IReadOnlyList<PreparedAggregation> aggregations)
    {
        var result = new Dictionary<string, AggregationPartial>(StringComparer.Ordinal);
        foreach (var aggregation in aggregations)
        {
            result[aggregation.Spec.Name] = new AggregationPartial(aggregation.Spec)
            {
                Field = aggregation.Field,
                KeyKind = KindOf(aggregation.Field),
                Subs = Empty(aggregation.Children),
            };
        }

        return result;
    }

    /// <summary>The <c>aggregations</c> object of the response from the partials of every index that answered.</summary>
    /// <exception cref="EngineException">400 <c>too_many_buckets_exception</c> past <see cref="MaxBuckets"/>.</exception>
    public static JsonObject Reduce(IReadOnlyList<AggregationSpec> specs, IReadOnlyList<Dictionary<string, AggregationPartial>> partials, bool typedKeys)
    {
        var merged = Merge(specs, partials);
        if (CountBuckets(merged) > MaxBuckets)
        {
            // Elasticsearch's search.max_buckets, checked as its reduce does; 400 since Elasticsearch 8.7.
            throw new EngineException(
                400,
                "too_many_buckets_exception",
                $"Trying to create too many buckets. Must be less than or equal to: [{MaxBuckets}]. This limit can be set by changing the [search.max_buckets] cluster level setting.",
                extra: new JsonObject { ["max_buckets"] = MaxBuckets });
        }

        return Render(specs, merged, typedKeys);
    }

    /// <summary>Elasticsearch's default <c>search.max_buckets</c>: the most terms buckets one response may hold, at every level.</summary>
    public const int MaxBuckets = 65_536;

    private static long CountBuckets(Dictionary<string, AggregationPartial> partials)
    {
        long count = 0;
        foreach (var partial in partials.Values)
        {
            count += partial.Buckets.Count + CountBuckets(partial.Subs);
            foreach (var bucket in partial.Buckets)
            {
                count += CountBuckets(bucket.Subs);
            }
        }

        return count;
    }

    private static void CheckField(AggregationSpec spec, FieldMapping? field, string index)
    {
        if (field is null)
        {
            return;
        }

        if (field.Type == FieldType.Text)
        {
            throw SearchErrors.TextFieldData(field.Path, index);
        }

        if (field.Type != FieldType.DenseVector && !field.DocValues)
        {
            throw SearchErrors.NoDocValues(field.Path, FieldTypes.Name(field.Type));
        }

        if (field.Type == FieldType.Binary)
        {
            throw SearchErrors.Unsupported($"aggregation [{spec.TypeName}] on the binary field [{field.Path}]");
        }

        var numericOnly = spec.Type is AggregationType.Min or AggregationType.Max or AggregationType.Avg or AggregationType.Sum or AggregationType.Stats;
        if (field.Type == FieldType.DenseVector || (numericOnly && field.Type == FieldType.Keyword))
        {
            throw EngineException.IllegalArgument(
                $"Field [{field.Path}] of type [{FieldTypes.Name(field.Type)}] is not supported for aggregation [{spec.TypeName}]");
        }
    }

    private static void CheckOrderPath(string path, AggregationSpec spec)
    {
        var name = path;
        string? metric = null;
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            name = path[..dot];
            metric = path[(dot + 1)..];
        }

        var sub = spec.SubAggregations.FirstOrDefault(s => s.Name == name);
        var valid = sub is not null && !path.Contains('>', StringComparison.Ordinal) && sub.Type switch
        {
            AggregationType.Stats => metric is not null && StatsMetrics.Contains(metric),
            AggregationType.Terms => false,
            _ => metric is null,
        };
        if (!valid)
        {
            throw EngineException.IllegalArgument(
                $"Invalid aggregation order path [{path}]. The provided aggregation [{name}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.");
        }
    }

    private static TermKeyKind KindOf(FieldMapping? field) => field?.Type switch
    {
        FieldType.Keyword or null => TermKeyKind.String,
        FieldType.Boolean => TermKeyKind.Boolean,
        FieldType.Date => TermKeyKind.Date,
        { } t when FieldTypes.IsFloatingPoint(t) => TermKeyKind.Double,
        _ => TermKeyKind.Long,
    };

    private static SortedSetDocValues? Values(AtomicReader reader, FieldMapping? field) => field is null ? null : DocValueTerms.Open(reader, field);

    private static TermKey KeyOf(BytesRef term, TermKeyKind kind)
    {
        var span = DocValueTerms.Span(term);
        switch (kind)
        {
            case TermKeyKind.String:
                return TermKey.Of(Encoding.UTF8.GetString(span));
            case TermKeyKind.Boolean:
                return TermKey.Of(span.SequenceEqual("true"u8) ? 1L : 0L);
            case TermKeyKind.Double:
                return TermKey.Of(DocValueTerms.ParseDouble(span));
            default:
                return TermKey.Of(DocValueTerms.ParseLong(span));
        }
    }

    /// <summary>
    /// The kind of key the aggregation's field gives (recorded on <paramref name="partial"/>) and its <c>missing</c>
    /// value as such a key; false when there is nothing to read (an unmapped field and no <c>missing</c>).
    /// </summary>
    private static bool TryPrepareKeys(PreparedAggregation aggregation, AggregationPartial partial, out TermKeyKind kind, out TermKey? missing)
    {
        var spec = aggregation.Spec;
        kind = KindOf(aggregation.Field);
        partial.KeyKind = kind;
        missing = null;
        if (aggregation.Field is null && spec.Missing is null)
        {
            return false;
        }

        missing = spec.Missing is null ? null : MissingKey(spec.Missing, kind, aggregation.Field);
        return true;
    }

    /// <summary>A <c>missing</c> value as a key of the field's kind.</summary>
    private static TermKey MissingKey(JsonNode missing, TermKeyKind kind, FieldMapping? field)
    {
        var text = JsonArgs.Text(missing);
        try
        {
            return kind switch
            {
                TermKeyKind.String => TermKey.Of(text),
                TermKeyKind.Boolean => TermKey.Of(JsonArgs.ParseBoolean(text) ? 1L : 0L),
                TermKeyKind.Double => TermKey.Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
                TermKeyKind.Date => TermKey.Of(DateFormats.TryParse(text, field?.Format, out var millis) ? millis : throw new FormatException(text)),
                _ => TermKey.Of(checked((long)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw SearchErrors.NumberFormat(text);
        }
    }

    private static void ComputeTerms(
        PreparedAggregation aggregation, IndexSearcher searcher, DocSet docs, AggregationPartial partial, bool multipleIndices, CancellationToken cancellationToken)
    {
        var spec = aggregation.Spec;
        if (!TryPrepareKeys(aggregation, partial, out var kind, out var missingKey))
        {
            return;
        }

        var withSubs = aggregation.Children.Count > 0;
        var buckets = new Dictionary<TermKey, TermsBucket>();
        var leaves = searcher.IndexReader.Leaves;
        var scratch = new BytesRef();

        TermsBucket Bucket(TermKey key)
        {
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = new TermsBucket(key) { Docs = withSubs ? new DocSet(leaves.Count) : null };
                buckets[key] = bucket;
            }

            return bucket;
        }

        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = Values(leaves[leaf].AtomicReader, aggregation.Field);
            var byOrd = values is null ? [] : new TermsBucket?[values.ValueCount];
            if (values is not null && spec.MinDocCount == 0)
            {
                for (var ord = 0L; ord < values.ValueCount; ord++)
                {
                    values.LookupOrd(ord, scratch);
                    byOrd[ord] = Bucket(KeyOf(scratch, kind));
                }
            }

            foreach (var doc in docs.Leaf(leaf))
            {
                var any = false;
                if (values is not null)
                {
                    values.SetDocument(doc);
                    for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
                    {
                        any = true;
                        var bucket = byOrd[ord];
                        if (bucket is null)
                        {
                            values.LookupOrd(ord, scratch);
                            bucket = byOrd[ord] = Bucket(KeyOf(scratch, kind));
                        }

                        bucket.DocCount++;
                        bucket.Docs?.Add(leaf, doc);
                    }
                }

                if (!any && missingKey is { } key)
                {
                    var bucket = Bucket(key);
                    bucket.DocCount++;
                    bucket.Docs?.Add(leaf, doc);
                }
            }
        }

        // Sub-aggregations are computed for every bucket only when the order needs their values; otherwise only for
        // the buckets kept, so a terms aggregation over a field of many values does not run its children per value.
        var ordersBySub = spec.Order.Any(o => o.Key is not "_count" and not "_key");
        var ordered = buckets.Values.ToList();
        if (ordersBySub)
        {
            ComputeSubs(aggregation, searcher, ordered, multipleIndices, cancellationToken);
        }

        ordered.Sort(BucketComparer(spec));
        partial.Buckets = ordered;
        if (!multipleIndices)
        {
            // One index: the response shows the best `size` buckets at or above min_doc_count and counts the others in
            // sum_other_doc_count, as MergeTerms does; only those are kept, so 1,000 sibling terms aggregations over a
            // field of 20,000 values no longer hold 20 million buckets until the reduce.
            ordered.RemoveAll(b => b.DocCount < spec.MinDocCount);
            if (ordered.Count > spec.Size)
            {
                partial.OtherDocCount = ordered.Skip(spec.Size).Sum(b => b.DocCount);
                ordered.RemoveRange(spec.Size, ordered.Count - spec.Size);
            }
        }
        else
        {
            // Each index returns its best shard_size buckets, as an Elasticsearch shard does.
            var shardSize = spec.ShardSize ?? (int)Math.Min(int.MaxValue, (spec.Size * 1.5) + 10);
            if (ordered.Count > shardSize)
            {
                partial.OtherDocCount = ordered.Skip(shardSize).Sum(b => b.DocCount);
                partial.DocCountError = IsKeyOrder(spec) ? 0 : IsCountDescending(spec) ? ordered[shardSize - 1].DocCount : -1;
                ordered.RemoveRange(shardSize, ordered.Count - shardSize);
            }
        }

        if (!ordersBySub)
        {
            ComputeSubs(aggregation, searcher, ordered, multipleIndices, cancellationToken);
        }
    }

    private static void ComputeSubs(
        PreparedAggregation aggregation, IndexSearcher searcher, List<TermsBucket> buckets, bool multipleIndices, CancellationToken cancellationToken)
    {
        foreach (var bucket in buckets)
        {
            if (bucket.Docs is not null)
            {
                bucket.Subs = Compute(aggregation.Children, searcher, bucket.Docs, multipleIndices, cancellationToken);
                bucket.Docs = null;
            }
        }
    }

    private static bool IsKeyOrder(AggregationSpec spec) => spec.Order[0].Key == "_key";

    private static bool IsCountDescending(AggregationSpec spec) => spec.Order[0] is { Key: "_count", Ascending: false };

    /// <summary>The aggregation's order, then the key ascending (Elasticsearch's tie-break).</summary>
    private static Comparison<TermsBucket> BucketComparer(AggregationSpec spec) => (a, b) =>
    {
        foreach (var order in spec.Order)
        {
            var c = order.Key switch
            {
                "_count" => a.DocCount.CompareTo(b.DocCount),
                "_key" => a.Key.CompareTo(b.Key),
                _ => CompareMetric(SubValue(a.Subs, order.Key), SubValue(b.Subs, order.Key)),
            };
            if (c != 0)
            {
                return order.Ascending ? c : -c;
            }
        }

        return a.Key.CompareTo(b.Key);
    };

    /// <summary>Java's <c>Double.compare</c>: NaN (an empty average) above every number.</summary>
    private static int CompareMetric(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.IsNaN(a).CompareTo(double.IsNaN(b)) : a.CompareTo(b);

    private static double SubValue(Dictionary<string, AggregationPartial> subs, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? path : path[..dot];
        var partial = subs[name];
        return partial.Spec.Type switch
        {
            // Elasticsearch's empty min and max are +Infinity and -Infinity, and sort as such.
            AggregationType.Min => partial.Min,
            AggregationType.Max => partial.Max,
            AggregationType.Sum => partial.Sum,
            AggregationType.Avg => partial.Count == 0 ? double.NaN : partial.Sum / partial.Count,
            AggregationType.ValueCount => partial.Count,
            AggregationType.Cardinality => partial.Distinct.Count,
            AggregationType.Filter or AggregationType.Missing => partial.DocCount,
            _ => path[(dot + 1)..] switch
            {
                "count" => partial.Count,
                "min" => partial.Min,
                "max" => partial.Max,
                "sum" => partial.Sum,
                _ => partial.Count == 0 ? double.NaN : partial.Sum / partial.Count,
            },
        };
    }

    private static void ComputeMetric(PreparedAggregation aggregation, IndexSearcher searcher, DocSet docs, AggregationPartial partial)
    {
        if (!TryPrepareKeys(aggregation, partial, out var kind, out var missing))
        {
            return;
        }

        var leaves = searcher.IndexReader.Leaves;
        var scratch = new BytesRef();
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            var values = Values(leaves[leaf].AtomicReader, aggregation.Field);
            var keys = values is null ? [] : new TermKey?[values.ValueCount];
            foreach (var doc in docs.Leaf(leaf))
            {
                var any = false;
                if (values is not null)
                {
                    values.SetDocument(doc);
                    for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
                    {
                        any = true;
                        if (keys[ord] is not { } key)
                        {
                            values.LookupOrd(ord, scratch);
                            key = (keys[ord] = KeyOf(scratch, kind)).Value;
                        }

                        Accumulate(partial, key);
                    }
                }

                if (!any && missing is { } m)
                {
                    Accumulate(partial, m);
                }
            }
        }
    }

    private static void Accumulate(AggregationPartial partial, TermKey key)
    {
        partial.Count++;
        if (partial.Spec.Type == AggregationType.Cardinality)
        {
            partial.Distinct.Add(key);
            return;
        }

        var value = key.Double;
        partial.Sum += value;
        partial.Min = Math.Min(partial.Min, value);
        partial.Max = Math.Max(partial.Max, value);
    }

    private static DocSet FilterDocs(IndexSearcher searcher, Query filter, DocSet docs)
    {
        var weight = searcher.CreateNormalizedWeight(filter);
        var leaves = searcher.IndexReader.Leaves;
        var result = new DocSet(leaves.Count);
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            var candidates = docs.Leaf(leaf);
            if (candidates.IsEmpty)
            {
                continue;
            }

            var scorer = weight.GetScorer(leaves[leaf], leaves[leaf].AtomicReader.LiveDocs);
            if (scorer is null)
            {
                continue;
            }

            foreach (var doc in candidates)
            {
                var current = scorer.DocID < doc ? scorer.Advance(doc) : scorer.DocID;
                if (current == DocIdSetIterator.NO_MORE_DOCS)
                {
                    break;
                }

                if (current == doc)
                {
                    result.Add(leaf, doc);
                }
            }
        }

        return result;
    }

    private static DocSet MissingDocs(IndexSearcher searcher, FieldMapping? field, DocSet docs)
    {
        var leaves = searcher.IndexReader.Leaves;
        var result = new DocSet(leaves.Count);
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            var values = Values(leaves[leaf].AtomicReader, field);
            foreach (var doc in docs.Leaf(leaf))
            {
                values?.SetDocument(doc);
                if (values is null || values.NextOrd() == SortedSetDocValues.NO_MORE_ORDS)
                {
                    result.Add(leaf, doc);
                }
            }
        }

        return result;
    }

    private static Dictionary<string, AggregationPartial> Merge(IReadOnlyList<AggregationSpec> specs, IReadOnlyList<Dictionary<string, AggregationPartial>> partials)
    {
        var merged = new Dictionary<string, AggregationPartial>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var parts = partials.Select(p => p[spec.Name]).ToList();
            merged[spec.Name] = spec.Type == AggregationType.Terms ? MergeTerms(spec, parts) : MergeOther(spec, parts);
        }

        return merged;
    }

    private static AggregationPartial MergeOther(AggregationSpec spec, List<AggregationPartial> parts)
    {
        var result = new AggregationPartial(spec)
        {
            Field = parts.Select(p => p.Field).FirstOrDefault(f => f is not null),
        };
        foreach (var part in parts)
        {
            result.Count += part.Count;
            result.Sum += part.Sum;
            result.Min = Math.Min(result.Min, part.Min);
            result.Max = Math.Max(result.Max, part.Max);
            result.DocCount += part.DocCount;
            result.Distinct.UnionWith(part.Distinct);
        }

        result.KeyKind = KindOf(result.Field);
        if (spec.Type is AggregationType.Filter or AggregationType.Missing)
        {
            result.Subs = Merge(spec.SubAggregations, [.. parts.Select(p => p.Subs)]);
        }

        return result;
    }

    private static AggregationPartial MergeTerms(AggregationSpec spec, List<AggregationPartial> parts)
    {
        var mapped = parts.Where(p => p.Field is not null || p.Buckets.Count > 0).ToList();
        var result = new AggregationPartial(spec)
        {
            Field = mapped.Select(p => p.Field).FirstOrDefault(f => f is not null),
            KeyKind = mapped.Count > 0 ? mapped[0].KeyKind : TermKeyKind.String,
        };
        if (mapped.Count == 0)
        {
            result.KeyKind = TermKeyKind.String;
            result.DocCountError = 0;
            return result;
        }

        var byKey = new Dictionary<TermKey, (TermsBucket Bucket, List<Dictionary<string, AggregationPartial>> Subs, HashSet<int> Shards)>();
        for (var shard = 0; shard < parts.Count; shard++)
        {
            foreach (var bucket in parts[shard].Buckets)
            {
                if (!byKey.TryGetValue(bucket.Key, out var entry))
                {
                    entry = (new TermsBucket(bucket.Key), [], []);
                    byKey[bucket.Key] = entry;
                }

                entry.Bucket.DocCount += bucket.DocCount;
                entry.Subs.Add(bucket.Subs);
                entry.Shards.Add(shard);
            }
        }

        var unknownError = parts.Any(p => p.DocCountError < 0);
        result.DocCountError = unknownError ? -1 : parts.Sum(p => p.DocCountError);
        var buckets = new List<TermsBucket>(byKey.Count);
        foreach (var (bucket, subs, shards) in byKey.Values)
        {
            bucket.Subs = Merge(spec.SubAggregations, subs);
            bucket.DocCountError = unknownError ? -1 : Enumerable.Range(0, parts.Count).Where(s => !shards.Contains(s)).Sum(s => parts[s].DocCountError);
            if (bucket.DocCount >= spec.MinDocCount)
            {
                buckets.Add(bucket);
            }
        }

        buckets.Sort(BucketComparer(spec));
        result.OtherDocCount = parts.Sum(p => p.OtherDocCount);
        if (buckets.Count > spec.Size)
        {
            result.OtherDocCount += buckets.Skip(spec.Size).Sum(b => b.DocCount);
            buckets.RemoveRange(spec.Size, buckets.Count - spec.Size);
        }

        result.Buckets = buckets;
        return result;
    }

    private static JsonObject Render(IReadOnlyList<AggregationSpec> specs, Dictionary<string, AggregationPartial> merged, bool typedKeys)
    {
        var json = new JsonObject();
        foreach (var spec in specs)
        {
            var partial = merged[spec.Name];
            var body = new JsonObject();
            if (spec.Meta is not null)
            {
                body["meta"] = spec.Meta.DeepClone();
            }

            string typedName;
            switch (spec.Type)
            {
                case AggregationType.Terms:
                    typedName = RenderTerms(partial, body, typedKeys);
                    break;
                case AggregationType.Filter or AggregationType.Missing:
                    typedName = spec.TypeName;
                    body["doc_count"] = partial.DocCount;
                    foreach (var (name, value) in Render(spec.SubAggregations, partial.Subs, typedKeys))
                    {
                        body[name] = value?.DeepClone();
                    }

                    break;
                default:
                    typedName = spec.TypeName;
                    RenderMetric(partial, body);
                    break;
            }

            json[typedKeys ? typedName + "#" + spec.Name : spec.Name] = body;
        }

        return json;
    }

    private static string RenderTerms(AggregationPartial partial, JsonObject body, bool typedKeys)
    {
        body["doc_count_error_upper_bound"] = partial.DocCountError;
        body["sum_other_doc_count"] = partial.OtherDocCount;
        var buckets = new JsonArray();
        foreach (var bucket in partial.Buckets)
        {
            var json = new JsonObject();
            switch (partial.KeyKind)
            {
                case TermKeyKind.String:
                    json["key"] = bucket.Key.Text;
                    break;
                case TermKeyKind.Double:
                    json["key"] = bucket.Key.Double;
                    break;
                case TermKeyKind.Date:
                    json["key"] = bucket.Key.Long;
                    json["key_as_string"] = DateFormats.Format(bucket.Key.Long, partial.Field?.Format);
                    break;
                case TermKeyKind.Boolean:
                    json["key"] = bucket.Key.Long;
                    json["key_as_string"] = bucket.Key.Long != 0 ? "true" : "false";
                    break;
                default:
                    json["key"] = bucket.Key.Long;
                    break;
            }

            json["doc_count"] = bucket.DocCount;
            if (partial.Spec.ShowTermDocCountError)
            {
                json["doc_count_error_upper_bound"] = bucket.DocCountError;
            }

            foreach (var (name, value) in Render(partial.Spec.SubAggregations, bucket.Subs, typedKeys))
            {
                json[name] = value?.DeepClone();
            }

            buckets.Add(json);
        }

        body["buckets"] = buckets;
        if (partial.Field is null && partial.Buckets.Count == 0)
        {
            return "umterms";
        }

        return partial.KeyKind switch
        {
            TermKeyKind.String => "sterms",
            TermKeyKind.Double => "dterms",
            _ => "lterms",
        };
    }

    private static void RenderMetric(AggregationPartial partial, JsonObject body)
    {
        var hasValue = partial.Count > 0;
        switch (partial.Spec.Type)
        {
            case AggregationType.Min:
                Value(body, hasValue ? partial.Min : null, partial);
                break;
            case AggregationType.Max:
                Value(body, hasValue ? partial.Max : null, partial);
                break;
            case AggregationType.Sum:
                Value(body, partial.Sum, partial);
                break;
            case AggregationType.Avg:
                Value(body, hasValue ? partial.Sum / partial.Count : null, partial);
                break;
            case AggregationType.ValueCount:
                body["value"] = partial.Count;
                break;
            case AggregationType.Cardinality:
                body["value"] = partial.Distinct.Count;
                break;
            default:
                body["count"] = partial.Count;
                body["min"] = hasValue ? partial.Min : null;
                body["max"] = hasValue ? partial.Max : null;
                body["avg"] = hasValue ? partial.Sum / partial.Count : null;
                body["sum"] = partial.Sum;
                if (hasValue && Formatted(partial, 0) is not null)
                {
                    body["min_as_string"] = Formatted(partial, partial.Min);
                    body["max_as_string"] = Formatted(partial, partial.Max);
                    body["avg_as_string"] = Formatted(partial, partial.Sum / partial.Count);
                    body["sum_as_string"] = Formatted(partial, partial.Sum);
                }

                break;
        }
    }

    private static void Value(JsonObject body, double? value, AggregationPartial partial)
    {
        body["value"] = value;
        if (value is { } v && Formatted(partial, v) is { } text)
        {
            body["value_as_string"] = text;
        }
    }

    /// <summary>A metric as its field's format prints it (dates and booleans), or null for plain numbers.</summary>
    private static string? Formatted(AggregationPartial partial, double value) => partial.KeyKind switch
    {
        TermKeyKind.Date => DateFormats.Format((long)value, partial.Field?.Format),
        TermKeyKind.Boolean => value != 0 ? "true" : "false",
        _ => null,
    };
}
