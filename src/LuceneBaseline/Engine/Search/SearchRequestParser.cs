using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;
using Rerank.LuceneBaseline.Engine.Search.Highlight;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Turns a <c>_search</c> body and its URL parameters into a <see cref="SearchRequest"/>, with Elasticsearch's
/// coordinator-side validation (<c>SearchSourceBuilder.parseXContent</c>, <c>RestSearchAction</c>,
/// <c>SearchRequest.validate</c>): what fails here fails the whole request, before any index is searched.
/// </summary>
internal static class SearchRequestParser
{
    private const int NumCandidatesLimit = 10_000;

    private static readonly FrozenSet<string> ValueKeys = Set(
        "from", "size", "timeout", "terminate_after", "min_score", "version", "seq_no_primary_term", "explain", "track_scores",
        "track_total_hits", "_source", "stored_fields", "sort", "profile");

    private static readonly FrozenSet<string> ObjectKeys = Set(
        "query", "post_filter", "knn", "rank", "_source", "script_fields", "aggregations", "aggs", "highlight", "suggest", "sort", "rescore",
        "ext", "slice", "collapse", "pit", "runtime_mappings", "retriever");

    private static readonly FrozenSet<string> ArrayKeys = Set(
        "stored_fields", "docvalue_fields", "fields", "indices_boost", "sort", "rescore", "stats", "_source", "search_after", "knn",
        "sub_searches");

    /// <summary>Sections Elasticsearch has that the engine does not implement; each is refused, naming it.</summary>
    private static readonly FrozenSet<string> Unimplemented = Set(
        "rank", "script_fields", "suggest", "rescore", "ext", "collapse", "runtime_mappings", "retriever",
        "indices_boost", "sub_searches");

    /// <exception cref="EngineException">What Elasticsearch answers for a malformed or unsupported request.</exception>
    public static SearchRequest Parse(JsonObject? body, SearchParameters parameters)
    {
        var url = new UrlParameters(parameters, UrlParameters.Search);
        var request = body is null ? new SearchRequest() : ParseBody(body);
        request = ApplyUrl(request, url);
        Validate(request);
        return PointInTimeRules.AddTiebreaker(request);
    }

    /// <summary>The <c>_count</c> request: only <c>query</c> in the body, plus <c>q</c>, <c>min_score</c>, <c>terminate_after</c>.</summary>
    public static SearchRequest ParseCount(JsonObject? body, SearchParameters parameters)
    {
        var url = new UrlParameters(parameters, UrlParameters.Count);
        QueryNode? query = null;
        foreach (var (key, value) in body ?? [])
        {
            if (key != "query")
            {
                throw EngineException.Parsing($"request does not support [{key}]");
            }

            query = QueryDslParser.ParseNode(value as JsonObject ?? throw EngineException.Parsing("[_na] query malformed, must start with start_object"));
        }

        if (url.Has("analyzer"))
        {
            throw SearchErrors.Unsupported("the [analyzer] parameter");
        }

        var terminateAfter = url.Int("terminate_after") ?? 0;
        if (terminateAfter < 0)
        {
            throw EngineException.IllegalArgument("terminateAfter must be > 0");
        }

        return new SearchRequest
        {
            Query = query,
            UrlQuery = ParseUrlQuery(url),
            MinScore = url.Float("min_score"),
            TerminateAfter = terminateAfter,
            Size = 0,
            TrackTotalHitsUpTo = SearchRequest.TrackTotalHitsAccurate,
        };
    }

    /// <summary>Elasticsearch's <c>TimeValue.parseTimeValue</c>: a number with a unit (<c>nanos micros ms s m h d</c>), or -1 / 0.</summary>
    public static TimeSpan? ParseTimeValue(string text, string setting)
    {
        var normalized = text.Trim().ToLowerInvariant();
        (string Suffix, double Ticks)[] units =
        [
            ("nanos", 0.01), ("micros", 10), ("ms", TimeSpan.TicksPerMillisecond), ("s", TimeSpan.TicksPerSecond),
            ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour), ("d", TimeSpan.TicksPerDay),
        ];
        foreach (var (suffix, ticks) in units)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                var number = normalized[..^suffix.Length].Trim();
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw SearchErrors.NumberFormat(number);
                }

                return value < 0 ? null : TimeSpan.FromTicks((long)(value * ticks));
            }
        }

        return normalized switch
        {
            "-1" => null,
            "0" => TimeSpan.Zero,
            _ => throw EngineException.IllegalArgument(
                $"failed to parse setting [{setting}] with value [{text}] as a time value: unit is missing or unrecognized"),
        };
    }

    private static SearchRequest ParseBody(JsonObject body)
    {
        QueryNode? query = null, postFilter = null;
        HighlightSpec? highlight = null;
        JsonNode? knn = null;
        int? from = null, size = null;
        List<SortClause>? sort = null;
        JsonArray? searchAfter = null;
        SourceSpec? source = null;
        List<FieldRequest>? fields = null, docValueFields = null;
        int? trackTotalHits = null;
        float? minScore = null;
        IReadOnlyList<AggregationSpec>? aggregations = null;
        bool version = false, seqNo = false, trackScores = false, explain = false, storedNone = false, storedGiven = false;
        TimeSpan? timeout = null;
        var terminateAfter = 0;
        PointInTimeSpec? pit = null;
        SliceSpec? slice = null;

        foreach (var (key, value) in body)
        {
            var token = JsonArgs.TokenName(value);
            var category = value switch
            {
                JsonObject => ObjectKeys,
                JsonArray => ArrayKeys,
                _ => ValueKeys,
            };
            if (!category.Contains(key))
            {
                throw EngineException.Parsing($"Unknown key for a {token} in [{key}].");
            }

            if (Unimplemented.Contains(key))
            {
                throw SearchErrors.Unsupported($"[{key}]");
            }

            switch (key)
            {
                case "query":
                    query = QueryDslParser.ParseNode((JsonObject)value!);
                    break;
                case "post_filter":
                    postFilter = QueryDslParser.ParseNode((JsonObject)value!);
                    break;
                case "highlight":
                    highlight = HighlightParser.Parse((JsonObject)value!);
                    break;
                case "knn":
                    knn = value;
                    break;
                case "from":
                    from = JsonArgs.ReadInt(value);
                    if (from < 0)
                    {
                        throw EngineException.IllegalArgument($"[from] parameter cannot be negative but was [{from}]");
                    }

                    break;
                case "size":
                    size = JsonArgs.ReadInt(value);
                    if (size < 0)
                    {
                        throw EngineException.IllegalArgument($"[size] parameter cannot be negative, found [{size}]");
                    }

                    break;
                case "timeout":
                    timeout = ParseTimeValue(JsonArgs.ReadText(value, key), key);
                    break;
                case "terminate_after":
                    terminateAfter = JsonArgs.ReadInt(value);
                    if (terminateAfter < 0)
                    {
                        throw EngineException.IllegalArgument("terminateAfter must be > 0");
                    }

                    break;
                case "min_score":
                    minScore = JsonArgs.ReadFloat(value);
                    break;
                case "version":
                    version = JsonArgs.ReadBool(value);
                    break;
                case "seq_no_primary_term":
                    seqNo = JsonArgs.ReadBool(value);
                    break;
                case "explain":
                    explain = JsonArgs.ReadBool(value);
                    break;
                case "track_scores":
                    trackScores = JsonArgs.ReadBool(value);
                    break;
                case "profile":
                    if (JsonArgs.ReadBool(value))
                    {
                        throw SearchErrors.Unsupported("[profile]");
                    }

                    break;
                case "track_total_hits":
                    trackTotalHits = JsonArgs.IsBoolean(value) || (JsonArgs.IsString(value) && JsonArgs.IsBooleanText(value!.GetValue<string>()))
                        ? (JsonArgs.ReadBool(value) ? SearchRequest.TrackTotalHitsAccurate : SearchRequest.TrackTotalHitsDisabled)
                        : CheckTrackTotalHits(JsonArgs.ReadInt(value));
                    break;
                case "_source":
                    source = ParseSource(value);
                    break;
                case "stored_fields":
                    (storedNone, storedGiven) = ParseStoredFields(value);
                    break;
                case "sort":
                    sort = SortParser.ParseBody(value ?? throw EngineException.Parsing($"Unknown key for a {token} in [{key}]."));
                    break;
                case "search_after":
                    searchAfter = ParseSearchAfter((JsonArray)value!);
                    break;
                case "fields":
                    fields = ParseFieldList((JsonArray)value!, allowUnmapped: true);
                    break;
                case "docvalue_fields":
                    docValueFields = ParseFieldList((JsonArray)value!, allowUnmapped: false);
                    break;
                case "pit":
                    pit = PointInTimeRules.ParsePit((JsonObject)value!);
                    break;
                case "slice":
                    slice = PointInTimeRules.ParseSlice((JsonObject)value!);
                    break;
                case "aggregations" or "aggs":
                    aggregations = AggregationParser.Parse((JsonObject)value!);
                    break;
                case "stats":
                    // Stats groups only tag the request for the index stats API, which the engine does not keep.
                    foreach (var group in (JsonArray)value!)
                    {
                        if (!JsonArgs.IsString(group))
                        {
                            throw EngineException.Parsing($"Expected [VALUE_STRING] in [stats] but found [{JsonArgs.TokenName(group)}]");
                        }
                    }

                    break;
            }
        }

        var knnClauses = knn is null ? [] : ParseKnn(knn, size ?? 10);
        return new SearchRequest
        {
            Query = query,
            PostFilter = postFilter,
            Highlight = highlight,
            Knn = knnClauses,
            From = from ?? 0,
            Size = size ?? 10,
            Sort = sort,
            SearchAfter = searchAfter,
            Source = source ?? SourceSpec.All,
            SourceGiven = source is not null,
            Fields = fields ?? [],
            DocValueFields = docValueFields ?? [],
            TrackTotalHitsUpTo = trackTotalHits ?? SearchRequest.DefaultTrackTotalHitsUpTo,
            MinScore = minScore,
            Aggregations = aggregations ?? [],
            Version = version,
            SeqNoPrimaryTerm = seqNo,
            TrackScores = trackScores,
            Explain = explain,
            Timeout = timeout,
            TerminateAfter = terminateAfter,
            StoredFieldsNone = storedNone,
            StoredFieldsGiven = storedGiven,
            PointInTime = pit,
            Slice = slice,
        };
    }

    private static SearchRequest ApplyUrl(SearchRequest request, UrlParameters url)
    {
        foreach (var unsupported in new[] { "scroll", "suggest_field", "suggest_text", "suggest_size", "suggest_mode", "force_synthetic_source", "analyzer" })
        {
            if (url.Has(unsupported))
            {
                throw SearchErrors.Unsupported($"the [{unsupported}] parameter");
            }
        }

        if (url.Bool("include_named_queries_score") == true)
        {
            throw SearchErrors.Unsupported("the [include_named_queries_score] parameter");
        }

        foreach (var flag in new[] { "request_cache", "ccs_minimize_roundtrips", "ignore_unavailable", "allow_no_indices", "ignore_throttled", "analyze_wildcard" })
        {
            _ = url.Bool(flag);
        }

        foreach (var number in new[] { "batched_reduce_size", "max_concurrent_shard_requests", "pre_filter_shard_size" })
        {
            _ = url.Int(number);
        }

        var dfs = url.Text("search_type") switch
        {
            null or "query_then_fetch" => false,
            "dfs_query_then_fetch" => true,
            var other => throw EngineException.IllegalArgument($"No search type for [{other}]"),
        };

        var from = url.Int("from") ?? request.From;
        if (from < 0)
        {
            throw EngineException.IllegalArgument($"[from] parameter cannot be negative but was [{from}]");
        }

        var size = url.Int("size") ?? request.Size;
        if (size < 0)
        {
            throw EngineException.IllegalArgument($"[size] parameter cannot be negative, found [{size}]");
        }

        var trackTotalHits = request.TrackTotalHitsUpTo;
        if (url.Text("track_total_hits") is { } tth)
        {
            trackTotalHits = JsonArgs.IsBooleanText(tth) || tth.Length == 0
                ? (url.Bool("track_total_hits")!.Value ? SearchRequest.TrackTotalHitsAccurate : SearchRequest.TrackTotalHitsDisabled)
                : CheckTrackTotalHits(url.Int("track_total_hits")!.Value);
        }

        var restTotalHitsAsInt = url.Bool("rest_total_hits_as_int") ?? false;
        if (restTotalHitsAsInt)
        {
            if (url.Text("track_total_hits") is null && request.TrackTotalHitsUpTo == SearchRequest.DefaultTrackTotalHitsUpTo)
            {
                trackTotalHits = SearchRequest.TrackTotalHitsAccurate;
            }
            else if (trackTotalHits is not SearchRequest.TrackTotalHitsAccurate and not SearchRequest.TrackTotalHitsDisabled)
            {
                throw EngineException.IllegalArgument(
                    $"[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got {trackTotalHits}");
            }
        }

        var sort = request.Sort;
        if (url.List("sort") is { } urlSorts)
        {
            var merged = new List<SortClause>(sort ?? []);
            merged.AddRange(SortParser.ParseUrl(urlSorts));
            sort = merged;
        }

        var source = request.Source;
        var sourceGiven = request.SourceGiven;
        if (url.Has("_source") || url.Has("_source_includes") || url.Has("_source_excludes"))
        {
            bool? fetch = null;
            IReadOnlyList<string>? includes = null;
            if (url.Text("_source") is { } s)
            {
                if (s == "true")
                {
                    fetch = true;
                }
                else if (s == "false")
                {
                    fetch = false;
                }
                else
                {
                    includes = url.List("_source");
                }
            }

            includes = url.List("_source_includes") ?? includes;
            var excludes = url.List("_source_excludes");
            source = new SourceSpec(fetch ?? true, includes ?? [], excludes ?? []);
            sourceGiven = true;
        }

        var storedNone = request.StoredFieldsNone;
        var storedGiven = request.StoredFieldsGiven;
        if (url.List("stored_fields") is { } storedList)
        {
            storedNone = storedList.Length == 1 && storedList[0] == "_none_";
            storedGiven = !storedNone && !storedList.Contains("_source");
        }

        var docValueFields = request.DocValueFields;
        if (url.List("docvalue_fields") is { } dvList)
        {
            docValueFields = [.. dvList.Select(f => new FieldRequest(f))];
        }

        var terminateAfter = request.TerminateAfter;
        if (url.Int("terminate_after") is { } ta)
        {
            if (ta < 0)
            {
                throw EngineException.IllegalArgument("terminateAfter must be > 0");
            }

            terminateAfter = ta;
        }

        return request with
        {
            UrlQuery = ParseUrlQuery(url),
            From = from,
            Size = size,
            Sort = sort,
            Source = source,
            SourceGiven = sourceGiven,
            DocValueFields = docValueFields,
            TrackTotalHitsUpTo = trackTotalHits,
            Version = url.Bool("version") ?? request.Version,
            SeqNoPrimaryTerm = url.Bool("seq_no_primary_term") ?? request.SeqNoPrimaryTerm,
            TrackScores = url.Bool("track_scores") ?? request.TrackScores,
            Explain = url.Bool("explain") ?? request.Explain,
            Timeout = url.Text("timeout") is { } t ? ParseTimeValue(t, "timeout") : request.Timeout,
            TerminateAfter = terminateAfter,
            StoredFieldsNone = storedNone,
            StoredFieldsGiven = storedGiven,
            RestTotalHitsAsInt = restTotalHitsAsInt,
            TypedKeys = url.Bool("typed_keys") ?? false,
            AllowPartialSearchResults = url.Bool("allow_partial_search_results") ?? true,
            Dfs = dfs,
        };
    }

    private static UrlQuery? ParseUrlQuery(UrlParameters url)
    {
        var q = url.Text("q");
        if (q is null)
        {
            return null;
        }

        var op = url.Text("default_operator") ?? "OR";
        var and = op.ToUpperInvariant() switch
        {
            "OR" => false,
            "AND" => true,
            _ => throw EngineException.IllegalArgument($"operator needs to be either or, and, but not [{op}]"),
        };
        return new UrlQuery(q, url.Text("df"), and, url.Bool("lenient") ?? false);
    }

    private static void Validate(SearchRequest request)
    {
        var errors = new List<string>();
        if (request.From > 0 && request.SearchAfter is { Count: > 0 })
        {
            errors.Add("[from] parameter must be set to 0 when [search_after] is used");
        }

        if (request.StoredFieldsNone)
        {
            if (request.SourceGiven && request.Source.Fetch)
            {
                errors.Add("[stored_fields] cannot be disabled if [_source] is requested");
            }

            if (request.Fields.Count > 0)
            {
                errors.Add("[stored_fields] cannot be disabled when using the [fields] option");
            }
        }

        PointInTimeRules.Validate(request, errors);
        if (errors.Count > 0)
        {
            throw SearchErrors.Validation(errors);
        }
    }

    private static int CheckTrackTotalHits(int value) => value < -1
        ? throw EngineException.IllegalArgument($"[track_total_hits] parameter must be positive or equals to -1, got {value}")
        : value;

    /// <summary>Elasticsearch's <c>FetchSourceContext.fromXContent</c>.</summary>
    private static SourceSpec ParseSource(JsonNode? value)
    {
        switch (value)
        {
            case JsonArray array:
                return new SourceSpec(true, ReadStrings(array, "_source"), []);
            case JsonObject obj:
                IReadOnlyList<string> includes = [], excludes = [];
                foreach (var (key, item) in obj)
                {
                    var list = item switch
                    {
                        JsonArray a => ReadStrings(a, key),
                        JsonValue v when JsonArgs.IsString(v) => [v.GetValue<string>()],
                        _ => throw EngineException.Parsing($"Unknown key for a {JsonArgs.TokenName(item)} in [{key}]."),
                    };
                    switch (key)
                    {
                        case "includes" or "include":
                            includes = list;
                            break;
                        case "excludes" or "exclude":
                            excludes = list;
                            break;
                        default:
                            throw EngineException.Parsing($"Unknown key for a {JsonArgs.TokenName(item)} in [{key}].");
                    }
                }

                return new SourceSpec(true, includes, excludes);
            default:
                if (JsonArgs.IsBoolean(value))
                {
                    return JsonArgs.ReadBool(value) ? SourceSpec.All : SourceSpec.None;
                }

                if (JsonArgs.IsString(value))
                {
                    return new SourceSpec(true, [value!.GetValue<string>()], []);
                }

                throw EngineException.Parsing(
                    $"Expected one of [VALUE_BOOLEAN, VALUE_STRING, START_ARRAY, START_OBJECT] but found [{JsonArgs.TokenName(value)}]");
        }
    }

    private static List<string> ReadStrings(JsonArray array, string field)
    {
        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (!JsonArgs.IsString(item))
            {
                throw EngineException.Parsing($"Unknown key for a {JsonArgs.TokenName(item)} in [{field}].");
            }

            list.Add(item!.GetValue<string>());
        }

        return list;
    }

    private static (bool None, bool Given) ParseStoredFields(JsonNode? value)
    {
        List<string> names;
        if (value is JsonArray array)
        {
            names = ReadStrings(array, "stored_fields");
        }
        else if (JsonArgs.IsString(value))
        {
            names = [value!.GetValue<string>()];
        }
        else
        {
            throw EngineException.Parsing($"Expected [VALUE_STRING] or [START_ARRAY] in [stored_fields] but found [{JsonArgs.TokenName(value)}]");
        }

        // Elasticsearch loads _source when stored_fields names it (StoredFieldsContext, FetchPhase).
        var none = names.Count == 1 && names[0] == "_none_";
        return (none, !none && !names.Contains("_source"));
    }

    private static JsonArray ParseSearchAfter(JsonArray array)
    {
        foreach (var item in array)
        {
            if (item is JsonObject or JsonArray)
            {
                throw EngineException.Parsing(
                    $"Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [{JsonArgs.TokenName(item)}] inside search_after.");
            }
        }

        return array;
    }

    private static List<FieldRequest> ParseFieldList(JsonArray array, bool allowUnmapped)
    {
        var list = new List<FieldRequest>(array.Count);
        foreach (var item in array)
        {
            if (JsonArgs.IsString(item))
            {
                list.Add(new FieldRequest(item!.GetValue<string>()));
                continue;
            }

            if (item is not JsonObject obj)
            {
                throw EngineException.Parsing($"Expected [VALUE_STRING] or [START_OBJECT] but found [{JsonArgs.TokenName(item)}]");
            }

            string? field = null, format = null;
            var includeUnmapped = false;
            foreach (var (key, value) in obj)
            {
                switch (key)
                {
                    case "field":
                        field = JsonArgs.ReadText(value, key);
                        break;
                    case "format":
                        format = JsonArgs.ReadText(value, key);
                        break;
                    case "include_unmapped" when allowUnmapped:
                        includeUnmapped = JsonArgs.ReadBool(value);
                        break;
                    default:
                        throw SearchErrors.XContentParse($"[fetch_field_and_format] unknown field [{key}]");
                }
            }

            list.Add(new FieldRequest(field ?? throw EngineException.IllegalArgument("Required [field]"), format, includeUnmapped));
        }

        return list;
    }

    private static List<KnnClause> ParseKnn(JsonNode knn, int size)
    {
        var clauses = new List<KnnClause>();
        if (knn is JsonArray array)
        {
            foreach (var item in array)
            {
                clauses.Add(item is JsonObject obj
                    ? ParseKnnClause(obj, size)
                    : throw SearchErrors.XContentParse(
                        $"malformed knn format, within the knn search array only objects are allowed; found {JsonArgs.TokenName(item)}"));
            }
        }
        else
        {
            clauses.Add(ParseKnnClause((JsonObject)knn, size));
        }

        return clauses;
    }

    /// <summary>Elasticsearch's <c>KnnSearchBuilder</c> parser and <c>Builder.build(size)</c> defaults and checks.</summary>
    private static KnnClause ParseKnnClause(JsonObject obj, int size)
    {
        string? field = null;
        float[]? vector = null;
        int? k = null, numCandidates = null;
        float? similarity = null;
        var boost = 1f;
        var filters = new List<QueryNode>();
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "field":
                    field = JsonArgs.IsString(value) ? value!.GetValue<string>() : throw KnnType(key, value);
                    break;
                case "query_vector":
                    if (value is not JsonArray numbers)
                    {
                        throw JsonArgs.IsString(value) ? SearchErrors.Unsupported("a hex-encoded [query_vector]") : KnnType(key, value);
                    }

                    vector = new float[numbers.Count];
                    for (var i = 0; i < numbers.Count; i++)
                    {
                        vector[i] = JsonArgs.ReadFloat(numbers[i]);
                    }

                    break;
                case "k":
                    k = JsonArgs.IsValue(value) ? JsonArgs.ReadInt(value) : throw KnnType(key, value);
                    break;
                case "num_candidates":
                    numCandidates = JsonArgs.IsValue(value) ? JsonArgs.ReadInt(value) : throw KnnType(key, value);
                    break;
                case "similarity":
                    similarity = JsonArgs.IsValue(value) ? JsonArgs.ReadFloat(value) : throw KnnType(key, value);
                    break;
                case "boost":
                    boost = JsonArgs.IsValue(value) ? JsonArgs.ReadFloat(value) : throw KnnType(key, value);
                    break;
                case "filter":
                    switch (value)
                    {
                        case JsonObject single:
                            filters.Add(QueryDslParser.ParseNode(single));
                            break;
                        case JsonArray many:
                            foreach (var f in many)
                            {
                                filters.Add(QueryDslParser.ParseNode(f as JsonObject ?? throw KnnType(key, f)));
                            }

                            break;
                        default:
                            throw KnnType(key, value);
                    }

                    break;
                case "query_vector_builder" or "rescore_vector" or "inner_hits" or "_name":
                    throw SearchErrors.Unsupported($"[{key}] in [knn]");
                default:
                    throw SearchErrors.XContentParse($"[knn] unknown field [{key}]");
            }
        }

        if (field is null)
        {
            throw EngineException.IllegalArgument("Required [field]");
        }

        var adjustedK = k ?? size;
        // Java's Math.round rounds halves up, unlike Math.Round's default.
        var adjustedCandidates = numCandidates ?? (int)Math.Floor(Math.Min(NumCandidatesLimit, 1.5f * adjustedK) + 0.5f);
        if (adjustedK < 1)
        {
            throw EngineException.IllegalArgument("[k] must be greater than 0");
        }

        if (adjustedCandidates < adjustedK)
        {
            throw EngineException.IllegalArgument("[num_candidates] cannot be less than [k]");
        }

        if (adjustedCandidates > NumCandidatesLimit)
        {
            throw EngineException.IllegalArgument($"[num_candidates] cannot exceed [{NumCandidatesLimit}]");
        }

        if (vector is null)
        {
            throw EngineException.IllegalArgument("either [query_vector_builder] or [query_vector] must be provided");
        }

        return new KnnClause(field, vector, adjustedK, adjustedCandidates, filters, similarity, boost);
    }

    private static EngineException KnnType(string key, JsonNode? value) =>
        SearchErrors.XContentParse($"[knn] {key} doesn't support values of type: {JsonArgs.TokenName(value)}");

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);
}
