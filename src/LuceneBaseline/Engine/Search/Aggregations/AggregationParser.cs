using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>Parses <c>aggs</c> / <c>aggregations</c> as Elasticsearch's <c>AggregatorFactories.parseAggregators</c> does.</summary>
internal static class AggregationParser
{
    private static readonly FrozenDictionary<string, AggregationType> Supported = new Dictionary<string, AggregationType>(StringComparer.Ordinal)
    {
        ["terms"] = AggregationType.Terms,
        ["filter"] = AggregationType.Filter,
        ["missing"] = AggregationType.Missing,
        ["min"] = AggregationType.Min,
        ["max"] = AggregationType.Max,
        ["avg"] = AggregationType.Avg,
        ["sum"] = AggregationType.Sum,
        ["value_count"] = AggregationType.ValueCount,
        ["cardinality"] = AggregationType.Cardinality,
        ["stats"] = AggregationType.Stats,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Aggregation types of Elasticsearch 8.x/9.x's default distribution (the candidates of its "did you mean").</summary>
    private static readonly FrozenSet<string> ElasticsearchTypes = new[]
    {
        "adjacency_matrix", "auto_date_histogram", "categorize_text", "children", "composite", "date_histogram", "date_range",
        "diversified_sampler", "filter", "filters", "frequent_item_sets", "geo_distance", "geohash_grid", "geohex_grid", "geotile_grid",
        "global", "histogram", "ip_prefix", "ip_range", "missing", "multi_terms", "nested", "parent", "random_sampler", "range",
        "rare_terms", "reverse_nested", "sampler", "significant_terms", "significant_text", "terms", "time_series",
        "variable_width_histogram", "avg", "boxplot", "cardinality", "cartesian_bounds", "cartesian_centroid", "extended_stats",
        "geo_bounds", "geo_centroid", "geo_line", "matrix_stats", "max", "median_absolute_deviation", "min", "percentile_ranks",
        "percentiles", "rate", "scripted_metric", "stats", "string_stats", "sum", "t_test", "top_hits", "top_metrics", "value_count",
        "weighted_avg", "avg_bucket", "bucket_count_ks_test", "bucket_correlation", "bucket_script", "bucket_selector", "bucket_sort",
        "change_point", "cumulative_cardinality", "cumulative_sum", "derivative", "extended_stats_bucket", "inference", "max_bucket",
        "min_bucket", "moving_fn", "moving_percentiles", "normalize", "percentiles_bucket", "serial_diff", "stats_bucket", "sum_bucket",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> MetricTypes = new[] { "min", "max", "avg", "sum", "value_count", "cardinality", "stats" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <exception cref="EngineException">Elasticsearch's <c>parsing_exception</c> / <c>x_content_parse_exception</c> /
    /// <c>illegal_argument_exception</c> for malformed definitions; <c>illegal_argument_exception</c> naming a type the engine lacks.</exception>
    public static IReadOnlyList<AggregationSpec> Parse(JsonObject aggregations) => ParseLevel(aggregations);

    private static List<AggregationSpec> ParseLevel(JsonObject aggregations)
    {
        var result = new List<AggregationSpec>();
        foreach (var (name, definition) in aggregations)
        {
            if (name.AsSpan().IndexOfAny('[', ']', '>') >= 0)
            {
                throw EngineException.Parsing($"Invalid aggregation name [{name}]. Aggregation names can contain any character except '[', ']', and '>'");
            }

            if (definition is not JsonObject body)
            {
                // Elasticsearch's message lacks the closing bracket after the name; kept as it is.
                throw EngineException.Parsing($"Aggregation definition for [{name} starts with a [{JsonArgs.TokenName(definition)}], expected a [START_OBJECT].");
            }

            string? typeName = null;
            JsonObject? typeBody = null;
            JsonObject? meta = null;
            JsonObject? subs = null;
            foreach (var (key, value) in body)
            {
                if (value is not JsonObject valueObject)
                {
                    throw EngineException.Parsing($"Expected [START_OBJECT] under [{key}], but got a [{JsonArgs.TokenName(value)}] in [{name}]");
                }

                switch (key)
                {
                    case "meta":
                        meta = valueObject;
                        break;
                    case "aggs" or "aggregations":
                        if (subs is not null)
                        {
                            throw EngineException.Parsing($"Found two sub aggregation definitions under [{name}]");
                        }

                        subs = valueObject;
                        break;
                    default:
                        if (typeName is not null)
                        {
                            throw EngineException.Parsing($"Found two aggregation type definitions in [{name}]: [{typeName}] and [{key}]");
                        }

                        if (!ElasticsearchTypes.Contains(key))
                        {
                            throw EngineException.Parsing($"Unknown aggregation type [{key}]{Suggestions.DidYouMean(key, ElasticsearchTypes)}");
                        }

                        if (!Supported.ContainsKey(key))
                        {
                            throw SearchErrors.Unsupported($"aggregation type [{key}]");
                        }

                        typeName = key;
                        typeBody = valueObject;
                        break;
                }
            }

            if (typeName is null || typeBody is null)
            {
                throw EngineException.Parsing($"Missing definition for aggregation [{name}]");
            }

            var subAggregations = subs is null ? [] : ParseLevel(subs);
            if (subAggregations.Count > 0 && MetricTypes.Contains(typeName))
            {
                throw new EngineException(500, "aggregation_initialization_exception", $"Aggregator [{name}] of type [{typeName}] cannot accept sub-aggregations");
            }

            var spec = ParseBody(name, typeName, Supported[typeName], typeBody) with
            {
                Meta = meta,
                SubAggregations = subAggregations,
            };
            result.Add(spec);
        }

        return result;
    }

    private static AggregationSpec ParseBody(string name, string typeName, AggregationType type, JsonObject body)
    {
        var spec = new AggregationSpec { Name = name, Type = type, TypeName = typeName };
        if (type == AggregationType.Filter)
        {
            return spec with { FilterQuery = body };
        }

        foreach (var (key, value) in body)
        {
            spec = (key, type) switch
            {
                ("field", _) => spec with { Field = JsonArgs.ReadText(value, "field") },
                ("missing", not AggregationType.Missing) => spec with { Missing = value?.DeepClone() },
                ("size", AggregationType.Terms) => spec with { Size = JsonArgs.ReadInt(value) },
                ("shard_size", AggregationType.Terms) => spec with { ShardSize = JsonArgs.ReadInt(value) },
                ("min_doc_count", AggregationType.Terms) => spec with { MinDocCount = JsonArgs.ReadInt(value) },
                ("shard_min_doc_count", AggregationType.Terms) => spec,
                ("order", AggregationType.Terms) => spec with { Order = ParseOrder(value, name) },
                ("show_term_doc_count_error", AggregationType.Terms) => spec with { ShowTermDocCountError = JsonArgs.ReadBool(value) },
                ("execution_hint", AggregationType.Terms or AggregationType.Cardinality) => spec,
                ("collect_mode", AggregationType.Terms) => spec,
                ("precision_threshold", AggregationType.Cardinality) => spec,
                ("script" or "include" or "exclude" or "format" or "value_type", _) => throw SearchErrors.Unsupported($"[{key}] in a [{typeName}] aggregation"),
                _ => throw SearchErrors.XContentParse($"[{typeName}] unknown field [{key}]"),
            };
        }

        if (spec.Field is null)
        {
            throw EngineException.IllegalArgument("Required one of fields [field, script], but none were specified.");
        }

        if (type == AggregationType.Terms)
        {
            if (spec.Size <= 0)
            {
                throw EngineException.IllegalArgument($"[size] must be greater than 0. Found [{spec.Size}] in [{name}]");
            }

            if (spec.ShardSize is <= 0)
            {
                throw EngineException.IllegalArgument($"[shard_size] must be greater than 0. Found [{spec.ShardSize}] in [{name}]");
            }

            if (spec.MinDocCount < 0)
            {
                throw EngineException.IllegalArgument($"[min_doc_count] must be greater than or equal to 0. Found [{spec.MinDocCount}] in [{name}]");
            }
        }

        return spec;
    }

    private static List<TermsOrder> ParseOrder(JsonNode? node, string name)
    {
        var orders = new List<TermsOrder>();
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                AddOrders(item, orders, name);
            }
        }
        else
        {
            AddOrders(node, orders, name);
        }

        return orders;
    }

    private static void AddOrders(JsonNode? node, List<TermsOrder> orders, string name)
    {
        if (node is not JsonObject obj)
        {
            throw EngineException.Parsing($"Order elements must be of type object in [{name}] found token of type [{JsonArgs.TokenName(node)}].");
        }

        foreach (var (key, value) in obj)
        {
            var direction = JsonArgs.IsString(value) ? value!.GetValue<string>().ToLowerInvariant() : null;
            var ascending = direction switch
            {
                "asc" => true,
                "desc" => false,
                _ => throw EngineException.Parsing($"Unknown terms order direction [{(value is null ? "null" : JsonArgs.Text(value))}] in terms aggregation [{name}]"),
            };
            if (key == "_term")
            {
                throw EngineException.IllegalArgument("Invalid aggregation order path [_term]. The [_term] order is removed; use [_key] instead.");
            }

            orders.Add(new TermsOrder(key, ascending));
        }
    }
}
