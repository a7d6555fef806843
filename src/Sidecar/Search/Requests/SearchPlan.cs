using Rerank.Model.Runtime;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// How one rerankable search is run (docs/search.md "Two phases"). Bodies are complete JSON request bodies for
/// <c>{method} /{target}/_search{query string}</c>; the user's own JSON is kept verbatim except where stated.
/// </summary>
internal sealed record SearchPlan
{
    /// <summary>The text the query is encoded from (from the query, or <c>ext.rerank.query</c>), not yet truncated.</summary>
    public required string QueryText { get; init; }

    /// <summary>The user's page: <c>from</c> (default 0) and <c>size</c> (default 10), from the body or the query string.</summary>
    public required int From { get; init; }

    public required int Size { get; init; }

    /// <summary>Candidates reranked: <c>ext.rerank.window</c> or the index's window, never above its <c>max_window</c>.</summary>
    public required int Window { get; init; }

    /// <summary><c>ext.rerank.explain</c>: add the per-hit <c>_rerank</c> object.</summary>
    public bool Explain { get; init; }

    /// <summary><c>ext.rerank.branch</c>, else asymmetric.</summary>
    public StudentBranch Branch { get; init; } = StudentBranch.Asymmetric;

    /// <summary>
    /// The first stage, two-phase form: the user's body without <c>ext.rerank</c>, with <c>from: 0</c>,
    /// <c>size: FirstStageSize</c>, <c>_source: false</c>, no fetch options of the user (highlight, fields,
    /// docvalue_fields, stored_fields, script_fields, explain, version, seq_no_primary_term) and the stored rerank fields
    /// requested (projection, model, stale). Aggregations, suggest, post_filter, track_total_hits and the rest are kept.
    /// </summary>
    public required ReadOnlyMemory<byte> FirstStageBody { get; init; }

    /// <summary>
    /// The first stage, single-phase form: as <see cref="FirstStageBody"/> but keeping the user's fetch options, so its
    /// hits can be returned without a second call; the rerank fields added are listed in <see cref="AddedFetchFields"/>.
    /// </summary>
    public required ReadOnlyMemory<byte> SinglePhaseBody { get; init; }

    /// <summary>Entries the single-phase body added to hits' <c>fields</c> that the user did not ask for (remove them from hits).</summary>
    public required IReadOnlyList<string> AddedFetchFields { get; init; }

    /// <summary>max(window, from + size): hits past the window keep first-stage order below it.</summary>
    public required int FirstStageSize { get; init; }

    /// <summary>
    /// The query string of the two-phase first stage (<see cref="FirstStageBody"/>): the user's without <c>from</c> and
    /// <c>size</c> (the body carries them) and without the fetch-only parameters (<c>_source*</c>, <c>stored_fields</c>,
    /// <c>docvalue_fields</c>, <c>explain</c>, <c>version</c>, <c>seq_no_primary_term</c>).
    /// </summary>
    public required string UpstreamQueryString { get; init; }

    /// <summary>The query string of <see cref="SinglePhaseBody"/>: the user's without <c>from</c> and <c>size</c>, fetch-only parameters kept.</summary>
    public required string SinglePhaseQueryString { get; init; }

    /// <summary>The user's body without <c>ext.rerank</c> and the user's query string: a fallback may forward them as they are.</summary>
    public required ReadOnlyMemory<byte> PassThroughBody { get; init; }

    public required string PassThroughQueryString { get; init; }

    /// <summary>
    /// Builds the page fetch for the given hits' ids: the user's query and fetch options (so highlights are right), filtered
    /// to exactly these ids, <c>size</c> = their count, no aggregations, suggest, post_filter or total tracking. Give an id
    /// once per hit (twice when two indices' hits share it): <c>size</c> counts the entries. Callable any number of times,
    /// from any thread.
    /// </summary>
    public required Func<IReadOnlyList<string>, ReadOnlyMemory<byte>> BuildFetchBody { get; init; }

    /// <summary>
    /// The query string of the page fetch: the user's with the fetch parameters (<c>_source*</c>, <c>stored_fields</c>, ...)
    /// and <c>q</c> kept, without <c>from</c>, <c>size</c>, <c>track_total_hits</c>, <c>terminate_after</c>,
    /// <c>rest_total_hits_as_int</c> and <c>suggest_*</c>.
    /// </summary>
    public required string FetchQueryString { get; init; }
}
