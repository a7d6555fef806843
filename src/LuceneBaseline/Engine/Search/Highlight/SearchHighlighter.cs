using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>
/// The <c>highlight</c> of each hit of one search, through Lucene's highlighter (Elasticsearch's <c>plain</c>
/// highlighter): each value of a field in <c>_source</c> is analysed with the field's analyzer, cut into fragments of
/// about <c>fragment_size</c> characters at token boundaries (the span fragmenter keeps a phrase match in one fragment),
/// and the fragments with a query term are returned with the terms wrapped in the tags.
/// </summary>
/// <remarks>Not thread-safe: one instance per search request (it caches each index's highlight queries).</remarks>
internal sealed class SearchHighlighter
{
    private const int DefaultFragmentSize = 100;
    private const int DefaultNumberOfFragments = 5;

    private readonly HighlightSpec _spec;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<(int Target, int Field), Query> _queries = [];
    private readonly Dictionary<int, List<(string Path, HighlightOptions Options, Query Query)>> _fieldsByTarget = [];

    /// <param name="spec">The parsed <c>highlight</c> section.</param>
    /// <param name="now">The request's <c>now</c> (date math in a <c>highlight_query</c>).</param>
    public SearchHighlighter(HighlightSpec spec, DateTimeOffset now)
    {
        _spec = spec;
        _now = now;
    }

    /// <summary>The hit's <c>highlight</c> object, or null when no field has a fragment.</summary>
    /// <param name="result">The hit's index result (mapping, analyzer, the query that ran).</param>
    /// <param name="source">The hit's full <c>_source</c>.</param>
    /// <param name="doc">The hit's document number within its segment (reported in the offset-limit error).</param>
    /// <exception cref="HighlightFailureException">A text over the analysed-offset limit; a <c>highlight_query</c> that fails to build.</exception>
    public JsonObject? Highlight(ShardResult result, JsonObject source, int doc)
    {
        JsonObject? highlight = null;
        foreach (var (path, options, query) in FieldsOf(result))
        {
            var values = SourceValues.Get(source, SourcePath(result.Target.Mapping, path));
            var fragments = HighlightField(result, path, options, query, values, doc);
            if (fragments.Count > 0)
            {
                highlight ??= [];
                highlight[path] = new JsonArray([.. fragments.Select(f => (JsonNode)f)]);
            }
        }

        return highlight;
    }

    /// <summary>
    /// Elasticsearch's <c>no_match_size</c> excerpt end: the whole text when short enough, else the end of the last token
    /// that ends within the size (-1 when none does).
    /// </summary>
    internal static int NoMatchEnd(Analyzer analyzer, string field, string text, int size)
    {
        if (text.Length <= size)
        {
            return text.Length;
        }

        using var stream = analyzer.GetTokenStream(field, text);
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        var end = -1;
        while (stream.IncrementToken())
        {
            if (offsets.EndOffset >= size)
            {
                end = offsets.EndOffset == size ? size : end;
                break;
            }

            end = offsets.EndOffset;
        }

        stream.End();
        return end;
    }

    /// <summary>A multi-field (<c>title.raw</c>) reads its parent's value from <c>_source</c>.</summary>
    private static string SourcePath(IndexMapping mapping, string path)
    {
        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            if (mapping.Find(path[..dot]) is { Fields: { } subs } && subs.Values.Any(sub => sub.Path == path))
            {
                return path[..dot];
            }
        }

        return path;
    }

    private static bool CanHighlight(FieldMapping? field) => field is { Type: FieldType.Text or FieldType.Keyword, Index: true };

    /// <summary>The fields this index highlights, in request order: patterns expanded over its text and keyword fields.</summary>
    private List<(string Path, HighlightOptions Options, Query Query)> FieldsOf(ShardResult result)
    {
        if (_fieldsByTarget.TryGetValue(result.TargetIndex, out var cached))
        {
            return cached;
        }

        var fields = new List<(string, HighlightOptions, Query)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var mapping = result.Target.Mapping;
        for (var i = 0; i < _spec.Fields.Count; i++)
        {
            var field = _spec.Fields[i];
            var options = field.Options.InheritFrom(_spec.Options);
            IEnumerable<string> paths = Glob.HasWildcard(field.Name)
                ? mapping.FieldsByPath.Keys.Where(p => Glob.IsMatch(field.Name, p)).Order(StringComparer.Ordinal)
                : [field.Name];
            foreach (var path in paths)
            {
                if (CanHighlight(mapping.Find(path)) && seen.Add(path))
                {
                    fields.Add((path, options, QueryFor(result, i, options)));
                }
            }
        }

        _fieldsByTarget[result.TargetIndex] = fields;
        return fields;
    }

    private Query QueryFor(ShardResult result, int field, HighlightOptions options)
    {
        if (options.HighlightQuery is null)
        {
            return result.Query;
        }

        if (!_queries.TryGetValue((result.TargetIndex, field), out var query))
        {
            try
            {
                query = QueryDslParser.ToQuery(options.HighlightQuery, result.Target, _now);
            }
            catch (EngineException e)
            {
                throw new HighlightFailureException(result.TargetIndex, e);
            }

            _queries[(result.TargetIndex, field)] = query;
        }

        return query;
    }

    private List<string> HighlightField(ShardResult result, string path, HighlightOptions options, Query query, IReadOnlyList<JsonNode> values, int doc)
    {
        var texts = values.Where(JsonArgs.IsScalar).Select(JsonArgs.Text).ToList();
        if (texts.Count == 0)
        {
            return [];
        }

        var indexLimit = result.Target.HighlightMaxAnalyzedOffset;
        var limit = Math.Min(options.MaxAnalyzedOffset ?? indexLimit, indexLimit);
        var wholeField = options.NumberOfFragments == 0;
        var maxFragments = options.NumberOfFragments ?? DefaultNumberOfFragments;
        IEncoder encoder = _spec.HtmlEncoder ? new SimpleHTMLEncoder() : new DefaultEncoder();
        var scorer = new QueryScorer(query, options.RequireFieldMatch ?? true ? path : null) { ExpandMultiTermQuery = true };
        var fragmentSize = options.FragmentSize ?? DefaultFragmentSize;
        var highlighter = new Highlighter(
            new SimpleHTMLFormatter(options.PreTags?[0] ?? "<em>", options.PostTags?[0] ?? "</em>"), encoder, scorer)
        {
            TextFragmenter = wholeField ? new NullFragmenter()
                : options.SpanFragmenter ?? true ? new SimpleSpanFragmenter(scorer, fragmentSize) : new SimpleFragmenter(fragmentSize),
            MaxDocCharsToAnalyze = int.MaxValue,
        };

        var found = new List<(string Text, float Score, int Value, int Number)>();
        for (var v = 0; v < texts.Count; v++)
        {
            var text = texts[v];
            if (options.MaxAnalyzedOffset is null && text.Length > indexLimit)
            {
                throw new HighlightFailureException(result.TargetIndex, EngineException.IllegalArgument(
                    $"The length [{text.Length}] of field [{path}] in doc[{doc}]/index[{result.Target.IndexName}] exceeds the "
                    + $"[index.highlight.max_analyzed_offset] limit [{indexLimit}]. To avoid this error, set the query parameter "
                    + $"[max_analyzed_offset] to a value less than index setting [{indexLimit}] and this will tolerate long field "
                    + "values by truncating them."));
            }

            TokenStream stream = new OffsetLimitFilter(result.Target.Analyzer.GetTokenStream(path, text), limit);
            TextFragment[] fragments;
            try
            {
                // A text has at most one fragment per character (and one more), so a larger number_of_fragments
                // selects the same fragments: bounded by it, Lucene's fragment queue is never larger than the text.
                var queueSize = wholeField ? 1 : Math.Min(Math.Max(maxFragments, 1), text.Length + 1);
                fragments = highlighter.GetBestTextFragments(stream, text, false, queueSize);
            }
            catch (InvalidTokenOffsetsException e)
            {
                throw new HighlightFailureException(result.TargetIndex, EngineException.IllegalArgument($"Failed to highlight field [{path}]: {e.Message}"));
            }

            found.AddRange(fragments.Where(f => f is not null && f.Score > 0).Select(f => (f.ToString(), f.Score, v, f.FragNum)));
        }

        if (found.Count == 0)
        {
            return NoMatch(result.Target.Analyzer, path, texts[0], options.NoMatchSize ?? 0, encoder);
        }

        var ordered = options.ScoreOrdered ?? false
            ? found.OrderByDescending(f => f.Score).ThenBy(f => f.Value).ThenBy(f => f.Number)
            : found.OrderBy(f => f.Value).ThenBy(f => f.Number);
        return [.. ordered.Take(wholeField ? int.MaxValue : maxFragments).Select(f => f.Text)];
    }

    private static List<string> NoMatch(Analyzer analyzer, string path, string text, int size, IEncoder encoder)
    {
        if (size <= 0)
        {
            return [];
        }

        var end = NoMatchEnd(analyzer, path, text, size);
        return end > 0 ? [encoder.EncodeText(text[..end])] : [];
    }
}
