using System.Text;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// A union of wildcard patterns as a lazily built DFA over field paths, stepped one character at a time: the automaton
/// Elasticsearch filters <c>_source</c> with. Each pattern also matches its sub-paths (<c>obj</c> matches
/// <c>obj.x</c>), as Elasticsearch's <c>makeMatchDotsInFieldNames</c> arranges. Not thread-safe: one per request.
/// </summary>
internal sealed class GlobAutomaton
{
    /// <summary>The state of a prefix no pattern can extend to a match.</summary>
    public const int Dead = -1;

    private readonly string[] _patterns;
    private readonly int[] _offsets;
    private readonly bool _matchAll;
    private readonly List<int[]> _states = [];
    private readonly List<bool> _accepting = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _transitions = [];

    private GlobAutomaton(IReadOnlyList<string> patterns, bool matchAll)
    {
        _matchAll = matchAll;
        var expanded = new List<string>();
        foreach (var given in patterns)
        {
            // A run of stars matches what one star matches; collapsed, a state holds one position per star, not one per
            // star of the run, so a pattern of thousands of stars is stepped as quickly as a pattern of one.
            var pattern = CollapseStars(given);
            expanded.Add(pattern);
            expanded.Add(pattern + ".*");
        }

        _patterns = [.. expanded];
        _offsets = new int[_patterns.Length + 1];
        for (var i = 0; i < _patterns.Length; i++)
        {
            // One position per character plus the accepting end position.
            _offsets[i + 1] = _offsets[i] + _patterns[i].Length + 1;
        }

        if (matchAll)
        {
            Initial = 0;
            return;
        }

        var start = new SortedSet<int>();
        for (var i = 0; i < _patterns.Length; i++)
        {
            AddWithClosure(start, i, 0);
        }

        Initial = Intern(start);
    }

    /// <summary>An automaton that accepts every path (Elasticsearch's match-all for an empty include list).</summary>
    public static GlobAutomaton MatchAll { get; } = new([], matchAll: true);

    public int Initial { get; }

    public static GlobAutomaton Of(IReadOnlyList<string> patterns) => new(patterns, matchAll: false);

    public int Step(int state, char c)
    {
        if (state == Dead)
        {
            return Dead;
        }

        if (_matchAll)
        {
            return 0;
        }

        var key = ((long)state << 16) | c;
        if (_transitions.TryGetValue(key, out var next))
        {
            return next;
        }

        var set = new SortedSet<int>();
        foreach (var position in _states[state])
        {
            var (pattern, index) = Locate(position);
            var text = _patterns[pattern];
            if (index == text.Length)
            {
                continue;
            }

            if (text[index] == '*')
            {
                AddWithClosure(set, pattern, index);
            }
            else if (text[index] == c)
            {
                AddWithClosure(set, pattern, index + 1);
            }
        }

        next = set.Count == 0 ? Dead : Intern(set);
        _transitions[key] = next;
        return next;
    }

    public int Step(int state, string text)
    {
        foreach (var c in text)
        {
            state = Step(state, c);
            if (state == Dead)
            {
                return Dead;
            }
        }

        return state;
    }

    public bool IsAccept(int state) => state != Dead && (_matchAll || _accepting[state]);

    private static string CollapseStars(string pattern)
    {
        if (!pattern.Contains("**", StringComparison.Ordinal))
        {
            return pattern;
        }

        var collapsed = new StringBuilder(pattern.Length);
        foreach (var c in pattern)
        {
            if (c != '*' || collapsed.Length == 0 || collapsed[^1] != '*')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }

    private void AddWithClosure(SortedSet<int> set, int pattern, int index)
    {
        var text = _patterns[pattern];
        set.Add(_offsets[pattern] + index);
        while (index < text.Length && text[index] == '*')
        {
            index++;
            set.Add(_offsets[pattern] + index);
        }
    }

    private (int Pattern, int Index) Locate(int position)
    {
        var pattern = Array.BinarySearch(_offsets, position);
        pattern = pattern >= 0 ? pattern : ~pattern - 1;
        return (pattern, position - _offsets[pattern]);
    }

    private int Intern(SortedSet<int> set)
    {
        var key = string.Join(',', set);
        if (_ids.TryGetValue(key, out var id))
        {
            return id;
        }

        id = _states.Count;
        var positions = set.ToArray();
        _states.Add(positions);
        var accepting = false;
        foreach (var position in positions)
        {
            var (pattern, index) = Locate(position);
            accepting |= index == _patterns[pattern].Length;
        }

        _accepting.Add(accepting);
        _ids[key] = id;
        return id;
    }
}
