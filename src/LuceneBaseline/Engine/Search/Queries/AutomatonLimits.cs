using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util.Automaton;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Bounds the automata that <c>wildcard</c> and case-insensitive <c>term</c>/<c>prefix</c> queries build, before
/// Lucene.Net compiles them, as Elasticsearch bounds them through Lucene's determinization limits.
/// </summary>
/// <remarks>
/// <para>Lucene.Net 4.8 determinizes without any limit, and its <c>SpecialOperations.IsFinite</c> (run when an
/// <see cref="AutomatonQuery"/> is built) recurses once per state of the determinized automaton. A stack overflow
/// cannot be caught in .NET: it ends the process. So the check runs first, on the automaton itself:</para>
/// <list type="number">
/// <item>A bounded subset construction over the automaton's states, and over its reverse (Lucene.Net determinizes
/// the reverse of an infinite automaton to find its common suffix), measures what determinizing costs: the work (the
/// sum of the sizes of the state sets visited) and the number of states made.</item>
/// <item>More than <see cref="MaxDeterminizedStates"/> states (Lucene's and Elasticsearch's default
/// <c>max_determinized_states</c>) or more than <see cref="MaxEffort"/> work (Lucene 9's effort limit, ten times the
/// work limit of 10000) fails the query with <c>too_complex_to_determinize_exception</c> (400) before Lucene sees it.</item>
/// <item>An accepted automaton with more than <see cref="InlineStates"/> states is compiled on a thread with a
/// <see cref="CompileStackBytes"/> stack. Measured with Lucene.Net 4.8.0-beta00017 on .NET 10 (linux-x64): a
/// 1.5 MiB stack (the thread pool's) overflows between 5,601 and 5,801 states (whatever the characters' UTF-8 width),
/// about 270 bytes a level; 10,000 states need
/// about 2.7 MiB, so 16 MiB leaves a margin of about six.</item>
/// </list>
/// </remarks>
internal static class AutomatonLimits
{
    /// <summary>Lucene's <c>DEFAULT_MAX_DETERMINIZED_STATES</c>.</summary>
    public const int MaxDeterminizedStates = 10_000;

    /// <summary>Lucene 9's determinization effort limit: ten times its default work limit of 10000.</summary>
    public const long MaxEffort = 10L * MaxDeterminizedStates;

    /// <summary>Automata up to this many states are compiled on the calling thread (recursion far below its stack).</summary>
    public const int InlineStates = 1_000;

    /// <summary>The stack of the thread that compiles larger automata.</summary>
    public const int CompileStackBytes = 16 * 1024 * 1024;

    /// <summary>
    /// An <see cref="AutomatonQuery"/> over <paramref name="automaton"/>, once it is known to be cheap enough to
    /// determinize; otherwise <c>too_complex_to_determinize_exception</c>.
    /// </summary>
    public static Query Query(Term term, Automaton automaton) =>
        Compile(automaton, () => new AutomatonQuery(term, automaton));

    /// <summary>Lucene's <see cref="WildcardQuery"/> for <paramref name="term"/>, bounded as <see cref="Query"/> is.</summary>
    public static Query Wildcard(Term term) =>
        Compile(WildcardQuery.ToAutomaton(term), () => new WildcardQuery(term));

    /// <summary>
    /// Checks <paramref name="automaton"/> and returns the most states Lucene.Net will recurse over while compiling it:
    /// the largest of its own states, its determinized states and the determinized states of its reverse.
    /// </summary>
    /// <remarks>
    /// The reverse matters as much as the automaton: for an infinite automaton Lucene.Net determinizes the reverse to
    /// find the common suffix (<c>SpecialOperations.GetCommonSuffixBytesRef</c>), and a short pattern such as
    /// <c>??????????????????a*</c> (18 <c>?</c>) is linear forwards and exponential reversed: it took 49 s.
    /// </remarks>
    /// <exception cref="EngineException"><c>too_complex_to_determinize_exception</c> (400) past either limit.</exception>
    public static int Check(Automaton automaton)
    {
        if (automaton.Singleton is { } singleton)
        {
            // A plain string: one state per code point plus the start, deterministic already.
            var states = singleton.EnumerateRunes().Count() + 1;
            return states > MaxDeterminizedStates ? throw TooManyStates(states, states - 1) : states;
        }

        var numbered = automaton.GetNumberedStates();
        var forward = new (int Min, int Max, int Dest)[numbered.Length][];
        var backward = new List<(int Min, int Max, int Dest)>[numbered.Length];
        var transitionCount = 0;
        foreach (var state in numbered)
        {
            backward[state.Number] ??= [];
        }

        foreach (var state in numbered)
        {
            forward[state.Number] = [.. state.GetTransitions().Select(t => (t.Min, t.Max, t.Dest.Number))];
            transitionCount += forward[state.Number].Length;
            foreach (var (min, max, dest) in forward[state.Number])
            {
                backward[dest].Add((min, max, state.Number));
            }
        }

        if (numbered.Length > MaxDeterminizedStates)
        {
            throw TooManyStates(numbered.Length, transitionCount);
        }

        var accepting = numbered.Where(s => s.Accept).Select(s => s.Number).Order().ToArray();
        var reversed = backward.Select(list => list.ToArray()).ToArray();
        var forwardStates = Determinize(forward, [automaton.GetInitialState().Number], numbered.Length, transitionCount);
        var reverseStates = accepting.Length == 0 ? 1 : Determinize(reversed, accepting, numbered.Length, transitionCount);
        return Math.Max(numbered.Length, Math.Max(forwardStates, reverseStates));
    }

    /// <summary>A subset construction from <paramref name="start"/> that counts states and work, failing past the limits.</summary>
    private static int Determinize((int Min, int Max, int Dest)[][] transitions, int[] start, int stateCount, int transitionCount)
    {
        var seen = new HashSet<int[]>(SetComparer.Instance) { start };
        var work = new Queue<int[]>();
        work.Enqueue(start);
        var effort = 0L;
        var points = new SortedSet<int>();
        var destinations = new SortedSet<int>();
        while (work.Count > 0)
        {
            var set = work.Dequeue();
            effort += set.Length;
            if (effort >= MaxEffort)
            {
                throw TooMuchEffort(stateCount, transitionCount);
            }

            points.Clear();
            foreach (var member in set)
            {
                foreach (var (min, max, _) in transitions[member])
                {
                    points.Add(min);
                    if (max < int.MaxValue)
                    {
                        points.Add(max + 1);
                    }
                }
            }

            foreach (var point in points)
            {
                destinations.Clear();
                foreach (var member in set)
                {
                    foreach (var (min, max, dest) in transitions[member])
                    {
                        if (min <= point && point <= max)
                        {
                            destinations.Add(dest);
                        }
                    }
                }

                if (destinations.Count == 0)
                {
                    continue;
                }

                int[] next = [.. destinations];
                if (seen.Add(next))
                {
                    if (seen.Count > MaxDeterminizedStates)
                    {
                        throw TooManyStates(stateCount, transitionCount);
                    }

                    work.Enqueue(next);
                }
            }
        }

        return seen.Count;
    }

    private static Query Compile(Automaton automaton, Func<Query> build)
    {
        if (Check(automaton) <= InlineStates)
        {
            return build();
        }

        Query? built = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    built = build();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            CompileStackBytes)
        {
            IsBackground = true,
            Name = "automaton-compile",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return built!;
    }

    // Lucene 4.8/8 worded the state limit this way; Lucene 9 and later word the effort limit as below.
    private static EngineException TooManyStates(int states, int transitions) => new(
        400,
        "too_complex_to_determinize_exception",
        $"Determinizing automaton with {states} states and {transitions} transitions would result in more than {MaxDeterminizedStates} states.");

    private static EngineException TooMuchEffort(int states, int transitions) => new(
        400,
        "too_complex_to_determinize_exception",
        $"Determinizing automaton with {states} states and {transitions} transitions would require more than {MaxDeterminizedStates} effort.");

    /// <summary>Compares sorted state sets by their members.</summary>
    private sealed class SetComparer : IEqualityComparer<int[]>
    {
        public static readonly SetComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
