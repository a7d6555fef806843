using Rerank.LuceneBaseline.Engine.Diagnostics;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The URL parameters of <c>_search</c> and <c>_count</c>, as given. The HTTP layer puts in <see cref="Values"/> every
/// query-string parameter meant for the search (it keeps the ones it consumes itself, such as the index-resolution
/// options, only if it wants them validated here); search rejects any name it does not know with Elasticsearch's
/// <c>request [path] contains unrecognized parameter: [name]</c>.
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
internal sealed record SearchParameters
{
    public static SearchParameters None { get; } = new();

    /// <summary>Query-string parameter name -> value (an empty string for a name given without a value).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The request path as the client sent it, without the query string (for error messages). Default <c>/_search</c>.</summary>
    public string Path { get; init; } = "/_search";

    /// <summary>The clock of <c>took</c>, <c>timeout</c> and date math's <c>now</c> (the engine's injected clock). Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the search's duration is recorded; null records nothing.</summary>
    public EngineMetrics? Metrics { get; init; }
}
