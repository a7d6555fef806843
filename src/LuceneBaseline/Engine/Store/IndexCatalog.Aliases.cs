using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Search.Queries;
using Rerank.LuceneBaseline.Engine.Store.Aliases;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Index aliases (docs/embedded-engine.md, "Aliases"). Each index keeps its own aliases in its <c>meta.json</c>, so an
/// alias goes with the last index it points to. Look-ups read one published table of alias → members, replaced whole
/// after every change, so a search or write never sees half of an atomic update (a swap shows the old or the new
/// target); members of an index deleted since are skipped. Changes are serialised with index creation and deletion
/// under the catalog's lock.
/// </summary>
internal sealed partial class IndexCatalog
{
    /// <summary>An empty alias table: <see cref="Resolve"/> walks expressions over index names alone.</summary>
    private static readonly Dictionary<string, List<(EngineIndex Index, AliasMetadata Alias)>> NoAliases = new(StringComparer.Ordinal);

    private volatile Dictionary<string, List<(EngineIndex Index, AliasMetadata Alias)>> _aliases = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is an alias of some index.</summary>
    public bool IsAlias(string name) => Members(name).Count > 0;

    /// <summary>
    /// The indices an expression names, where each part may be an index, an alias (its indices) or a pattern over both;
    /// with the alias filters each index is searched under. Each index appears once, in order of first mention.
    /// </summary>
    /// <exception cref="EngineException"><c>index_not_found_exception</c> (404) as <see cref="Resolve"/>.</exception>
    public IReadOnlyList<ResolvedIndex> ResolveWithAliases(string expression, bool ignoreUnavailable = false, bool allowNoIndices = true) =>
        ResolveExpression(expression, ignoreUnavailable, allowNoIndices, LiveAliases());

    /// <summary>The one walk of an index expression, over the indices and the given alias table.</summary>
    private IReadOnlyList<ResolvedIndex> ResolveExpression(
        string expression, bool ignoreUnavailable, bool allowNoIndices, Dictionary<string, List<(EngineIndex Index, AliasMetadata Alias)>> aliases)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var indices = new SortedDictionary<string, EngineIndex>(_indices, StringComparer.Ordinal);
        var parts = SplitExpression(expression);
        var selected = new List<string>();
        var filters = new Dictionary<string, List<QueryNode>?>(StringComparer.Ordinal);

        void Select(string index, QueryNode? filter, bool filtered)
        {
            if (!filters.TryGetValue(index, out var existing))
            {
                selected.Add(index);
                filters[index] = filtered ? [] : null;
                existing = filters[index];
            }

            if (!filtered)
            {
                filters[index] = null;
            }
            else if (existing is not null && filter is not null)
            {
                existing.Add(filter);
            }
        }

        void SelectAlias(string alias)
        {
            foreach (var (index, metadata) in aliases[alias])
            {
                Select(index.Name, metadata.FilterNode, metadata.FilterNode is not null);
            }
        }

        if (parts.Count == 0 || (parts.Count == 1 && parts[0] == "_all"))
        {
            foreach (var name in indices.Keys)
            {
                Select(name, null, filtered: false);
            }
        }
        else
        {
            var wildcardSeen = false;
            foreach (var part in parts)
            {
                if (part.Length > 1 && part[0] == '-' && wildcardSeen)
                {
                    var pattern = part[1..];
                    var removed = indices.Keys.Where(name => Glob.IsMatch(pattern, name))
                        .Concat(aliases.Where(a => Glob.IsMatch(pattern, a.Key)).SelectMany(a => a.Value.Select(m => m.Index.Name)))
                        .ToHashSet(StringComparer.Ordinal);
                    selected.RemoveAll(removed.Contains);
                    foreach (var name in removed)
                    {
                        filters.Remove(name);
                    }

                    continue;
                }

                if (part == "_all" || Glob.HasWildcard(part))
                {
                    wildcardSeen = true;
                    var indexMatches = indices.Keys.Where(name => part == "_all" || Glob.IsMatch(part, name)).ToList();
                    var aliasMatches = part == "_all" ? [] : aliases.Keys.Where(name => Glob.IsMatch(part, name)).Order(StringComparer.Ordinal).ToList();
                    if (indexMatches.Count == 0 && aliasMatches.Count == 0 && !allowNoIndices)
                    {
                        throw EngineException.IndexNotFound(part);
                    }

                    foreach (var name in indexMatches)
                    {
                        Select(name, null, filtered: false);
                    }

                    foreach (var alias in aliasMatches)
                    {
                        SelectAlias(alias);
                    }

                    continue;
                }

                if (indices.ContainsKey(part))
                {
                    Select(part, null, filtered: false);
                }
                else if (aliases.ContainsKey(part))
                {
                    SelectAlias(part);
                }
                else if (!ignoreUnavailable)
                {
                    throw EngineException.IndexNotFound(part);
                }
            }
        }

        if (selected.Count == 0 && !allowNoIndices)
        {
            throw EngineException.IndexNotFound(parts.Count == 0 ? "_all" : expression);
        }

        return [.. selected.Select(name => new ResolvedIndex(indices[name], filters[name] ?? []))];
    }

    /// <summary>
    /// The index a single-document read of <paramref name="name"/> reads: the index so named, or the one index of the
    /// alias so named (Elasticsearch refuses an alias of several, write index or not).
    /// </summary>
    /// <exception cref="EngineException"><c>index_not_found_exception</c> (404); an alias of several indices (400).</exception>
    public EngineIndex GetIndexForRead(string name)
    {
        if (TryGetIndex(name, out var index))
        {
            return index;
        }

        var members = Members(name);
        return members.Count switch
        {
            0 => throw EngineException.IndexNotFound(name),
            1 => members[0].Index,
            _ => throw AliasErrors.MoreThanOneIndex(name, members.Select(m => m.Index.Name).Order(StringComparer.Ordinal)),
        };
    }

    /// <summary>
    /// The index a write to the alias <paramref name="name"/> goes to: the member with <c>is_write_index: true</c>, or the
    /// only member unless it has <c>is_write_index: false</c>. Null when <paramref name="name"/> is no alias.
    /// </summary>
    /// <exception cref="EngineException">The alias has no write index (Elasticsearch's message).</exception>
    public EngineIndex? WriteIndexOf(string name)
    {
        var members = Members(name);
        if (members.Count == 0)
        {
            return null;
        }

        var writers = members.Where(m => m.Alias.IsWriteIndex == true).ToList();
        if (writers.Count == 1)
        {
            return writers[0].Index;
        }

        if (members.Count == 1 && members[0].Alias.IsWriteIndex is null)
        {
            return members[0].Index;
        }

        throw AliasErrors.NoWriteIndex(name);
    }

    /// <summary>
    /// Applies alias actions atomically: all are checked against the state the earlier ones leave, and nothing changes
    /// unless all succeed. <c>remove_index</c> deletes its indices after the alias changes are written.
    /// </summary>
    /// <exception cref="EngineException">
    /// <c>index_not_found_exception</c> (404); <c>aliases_not_found_exception</c> (404) for a remove of a missing alias;
    /// <c>invalid_alias_name_exception</c> for an alias named like an index; <c>illegal_state_exception</c> for two
    /// write indices of one alias.
    /// </exception>
    public void UpdateAliases(IReadOnlyList<AliasAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var doomed = new List<string>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var working = _indices.Values.ToDictionary(
                index => index.Name, index => new Dictionary<string, AliasMetadata>(index.Aliases, StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (var action in actions)
            {
                var targets = ActionIndices(action, working);
                switch (action.Kind)
                {
                    case AliasActionKind.Add:
                        foreach (var index in targets)
                        {
                            foreach (var alias in action.Aliases)
                            {
                                working[index][alias] = action.Alias;
                            }
                        }

                        break;
                    case AliasActionKind.Remove:
                        var missing = new List<string>();
                        foreach (var pattern in action.Aliases)
                        {
                            var found = false;
                            foreach (var index in targets)
                            {
                                foreach (var alias in working[index].Keys.Where(a => pattern is "_all" or "*" || Glob.IsMatch(pattern, a)).ToList())
                                {
                                    working[index].Remove(alias);
                                    found = true;
                                }
                            }

                            if (!found)
                            {
                                missing.Add(pattern);
                            }
                        }

                        if (missing.Count > 0 && action.MustExist)
                        {
                            throw AliasErrors.Missing(missing);
                        }

                        break;
                    case AliasActionKind.RemoveIndex:
                        foreach (var index in targets)
                        {
                            working.Remove(index);
                            doomed.Add(index);
                        }

                        break;
                }
            }

            CheckAliases(working);
            try
            {
                foreach (var (name, aliases) in working)
                {
                    var index = _indices[name];
                    if (!SameAliases(index.Aliases, aliases))
                    {
                        index.SetAliases(aliases);
                    }
                }
            }
            finally
            {
                // After a failed write, what was written is what the table shows.
                PublishAliases();
            }
        }

        if (doomed.Count > 0)
        {
            DeleteIndices(string.Join(',', doomed), ignoreUnavailable: true);
        }
    }

    /// <summary>
    /// <c>GET /_alias</c> and its variants: each index (of <paramref name="indexExpression"/>, or all) with its aliases
    /// (those <paramref name="aliasExpression"/> names, or all; an index with none of them is left out then), and the
    /// named aliases (not patterns) that no index has.
    /// </summary>
    public (JsonObject Body, IReadOnlyList<string> Missing) GetAliases(string? indexExpression, string? aliasExpression, bool ignoreUnavailable = false)
    {
        var indices = indexExpression is null
            ? Indices
            : [.. ResolveWithAliases(indexExpression, ignoreUnavailable).Select(r => r.Index)];
        var patterns = aliasExpression is null ? null : SplitExpression(aliasExpression);
        var byIndex = LiveAliases()
            .SelectMany(pair => pair.Value.Select(m => (Alias: pair.Key, m.Index, Metadata: m.Alias)))
            .ToLookup(m => m.Index.Name, StringComparer.Ordinal);
        var body = new JsonObject();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in indices)
        {
            var aliases = new JsonObject();
            foreach (var (alias, _, metadata) in byIndex[index.Name].OrderBy(a => a.Alias, StringComparer.Ordinal))
            {
                if (patterns is null || patterns.Any(p => p is "_all" or "*" || Glob.IsMatch(p, alias)))
                {
                    aliases[alias] = metadata.ToJson();
                    found.Add(alias);
                }
            }

            if (patterns is null || aliases.Count > 0)
            {
                body[index.Name] = new JsonObject { ["aliases"] = aliases };
            }
        }

        var missing = patterns?.Where(p => p != "_all" && !Glob.HasWildcard(p) && !found.Contains(p)).ToList() ?? [];
        return (body, missing);
    }

    /// <summary>Checks a new index's name and aliases against the existing aliases and indices (call under the lock).</summary>
    private void CheckNewIndex(string name, IReadOnlyDictionary<string, AliasMetadata> aliases)
    {
        if (IsAlias(name))
        {
            throw AliasErrors.IndexNameIsAlias(name);
        }

        if (aliases.Count == 0)
        {
            return;
        }

        var working = _indices.Values.ToDictionary(index => index.Name, index => index.Aliases, StringComparer.Ordinal);
        working[name] = aliases;
        CheckAliases(working);
    }

    /// <summary>No alias named like an index; at most one write index per alias.</summary>
    private void CheckAliases<TAliases>(Dictionary<string, TAliases> working)
        where TAliases : IReadOnlyDictionary<string, AliasMetadata>
    {
        foreach (var (index, aliases) in working)
        {
            foreach (var alias in aliases.Keys)
            {
                if (working.ContainsKey(alias))
                {
                    var uuid = _indices.TryGetValue(alias, out var clash) ? clash.Uuid : StoreErrors.NoUuid;
                    throw AliasErrors.ClashesWithIndex(alias, uuid);
                }
            }
        }

        var writers = working
            .SelectMany(pair => pair.Value.Where(a => a.Value.IsWriteIndex == true).Select(a => (Alias: a.Key, Index: pair.Key)))
            .GroupBy(w => w.Alias, StringComparer.Ordinal)
            .FirstOrDefault(group => group.Count() > 1);
        if (writers is not null)
        {
            throw AliasErrors.MoreThanOneWriteIndex(writers.Key, writers.Select(w => w.Index).Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The concrete indices an action's <c>index</c>/<c>indices</c> name: names, patterns, or aliases (their indices).</summary>
    private static List<string> ActionIndices(AliasAction action, Dictionary<string, Dictionary<string, AliasMetadata>> working)
    {
        var result = new List<string>();
        foreach (var expression in action.Indices)
        {
            foreach (var part in SplitExpression(expression))
            {
                IEnumerable<string> matches;
                if (part == "_all" || Glob.HasWildcard(part))
                {
                    matches = working.Keys.Where(name => part == "_all" || Glob.IsMatch(part, name)).Order(StringComparer.Ordinal);
                }
                else if (working.ContainsKey(part))
                {
                    matches = [part];
                }
                else if (working.Where(w => w.Value.ContainsKey(part)).Select(w => w.Key).ToList() is { Count: > 0 } members)
                {
                    matches = action.Kind != AliasActionKind.RemoveIndex
                        ? members
                        : throw EngineException.IllegalArgument(
                            $"The provided expression [{part}] matches an alias, specify the corresponding concrete indices instead.");
                }
                else
                {
                    throw EngineException.IndexNotFound(part);
                }

                result.AddRange(matches.Where(m => !result.Contains(m)));
            }
        }

        return result;
    }

    private static bool SameAliases(IReadOnlyDictionary<string, AliasMetadata> a, IReadOnlyDictionary<string, AliasMetadata> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && Same(pair.Value, other));

    private static bool Same(AliasMetadata a, AliasMetadata b) =>
        a.IsWriteIndex == b.IsWriteIndex && JsonNode.DeepEquals(a.Filter, b.Filter);

    /// <summary>Publishes the alias table from the indices' aliases (call under the lock, after a change is written).</summary>
    private void PublishAliases() => _aliases = AliasMembers(_indices.Values.OrderBy(index => index.Name, StringComparer.Ordinal));

    /// <summary>The published members of <paramref name="alias"/> whose index is still open.</summary>
    private List<(EngineIndex Index, AliasMetadata Alias)> Members(string alias) =>
        _aliases.TryGetValue(alias, out var members) ? [.. members.Where(m => IsLive(m.Index))] : [];

    /// <summary>The published alias table without deleted indices.</summary>
    private Dictionary<string, List<(EngineIndex Index, AliasMetadata Alias)>> LiveAliases()
    {
        var live = new Dictionary<string, List<(EngineIndex, AliasMetadata)>>(StringComparer.Ordinal);
        foreach (var (alias, members) in _aliases)
        {
            var open = members.Where(m => IsLive(m.Index)).ToList();
            if (open.Count > 0)
            {
                live[alias] = open;
            }
        }

        return live;
    }

    private bool IsLive(EngineIndex index) => _indices.TryGetValue(index.Name, out var current) && ReferenceEquals(current, index);

    /// <summary>Alias name → its member indices with the alias as each has it.</summary>
    private static Dictionary<string, List<(EngineIndex Index, AliasMetadata Alias)>> AliasMembers(IEnumerable<EngineIndex> indices)
    {
        var members = new Dictionary<string, List<(EngineIndex, AliasMetadata)>>(StringComparer.Ordinal);
        foreach (var index in indices)
        {
            foreach (var (alias, metadata) in index.Aliases)
            {
                if (!members.TryGetValue(alias, out var list))
                {
                    members[alias] = list = [];
                }

                list.Add((index, metadata));
            }
        }

        return members;
    }
}
