using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Filters a parsed <c>_source</c> in place by include and exclude patterns, following Elasticsearch's
/// <c>XContentMapValues.filter</c>: a path is kept when an include pattern matches it or one of its parents (an
/// object whose name matches keeps all of its content unless an exclude reaches inside), an exclude removes the
/// path and everything under it, objects emptied by the filter disappear unless their own name was included, and
/// array elements are filtered as the array's field.
/// </summary>
/// <remarks>Not thread-safe (the automata cache their states): one instance per request.</remarks>
internal sealed class SourceFilter
{
    private readonly GlobAutomaton _include;
    private readonly GlobAutomaton _exclude;
    private readonly bool _hasExcludes;

    public SourceFilter(SourceSpec spec)
    {
        _include = spec.Includes.Count == 0 ? GlobAutomaton.MatchAll : GlobAutomaton.Of(spec.Includes);
        _hasExcludes = spec.Excludes.Count > 0;
        _exclude = GlobAutomaton.Of(spec.Excludes);
    }

    /// <summary>Removes what the patterns do not keep from <paramref name="source"/>.</summary>
    public void Apply(JsonObject source) =>
        FilterObject(source, _include, _include.Initial, _hasExcludes ? _exclude.Initial : GlobAutomaton.Dead);

    private void FilterObject(JsonObject map, GlobAutomaton include, int includeState, int excludeState)
    {
        List<string>? remove = null;
        foreach (var (key, value) in map)
        {
            if (!Keep(key, value, include, includeState, excludeState))
            {
                (remove ??= []).Add(key);
            }
        }

        foreach (var key in remove ?? [])
        {
            map.Remove(key);
        }
    }

    private bool Keep(string key, JsonNode? value, GlobAutomaton include, int includeState, int excludeState)
    {
        var keyInclude = include.Step(includeState, key);
        if (keyInclude == GlobAutomaton.Dead)
        {
            return false;
        }

        var keyExclude = _exclude.Step(excludeState, key);
        if (_exclude.IsAccept(keyExclude))
        {
            return false;
        }

        var subInclude = include;
        var subIncludeState = keyInclude;
        var included = include.IsAccept(keyInclude);
        if (included)
        {
            if (keyExclude == GlobAutomaton.Dead || _exclude.Step(keyExclude, '.') == GlobAutomaton.Dead)
            {
                // No exclude can reach inside: the whole value stays.
                return true;
            }

            // The key matched, so every inner path is included; only the excludes still apply.
            subInclude = GlobAutomaton.MatchAll;
            subIncludeState = GlobAutomaton.MatchAll.Initial;
        }

        switch (value)
        {
            case JsonObject obj:
                var innerInclude = subInclude.Step(subIncludeState, '.');
                if (innerInclude == GlobAutomaton.Dead)
                {
                    return false;
                }

                FilterObject(obj, subInclude, innerInclude, _exclude.Step(keyExclude, '.'));
                return included || obj.Count > 0;
            case JsonArray array:
                FilterArray(array, subInclude, subIncludeState, keyExclude);
                return array.Count > 0;
            default:
                return included && !_exclude.IsAccept(keyExclude);
        }
    }

    private void FilterArray(JsonArray array, GlobAutomaton include, int includeState, int excludeState)
    {
        var isInclude = include.IsAccept(includeState);
        for (var i = array.Count - 1; i >= 0; i--)
        {
            bool keep;
            switch (array[i])
            {
                case JsonObject obj:
                    var inner = include.Step(includeState, '.');
                    keep = inner != GlobAutomaton.Dead;
                    if (keep)
                    {
                        FilterObject(obj, include, inner, _exclude.Step(excludeState, '.'));
                        keep = obj.Count > 0;
                    }

                    break;
                case JsonArray nested:
                    FilterArray(nested, include, includeState, excludeState);
                    keep = nested.Count > 0;
                    break;
                default:
                    keep = isInclude;
                    break;
            }

            if (!keep)
            {
                array.RemoveAt(i);
            }
        }
    }
}
