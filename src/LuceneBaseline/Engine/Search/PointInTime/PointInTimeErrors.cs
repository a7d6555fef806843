using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>Elasticsearch's errors for point-in-time requests, in its types, statuses and wording.</summary>
internal static class PointInTimeErrors
{
    /// <summary>The most point-in-time contexts open at once (Elasticsearch's <c>search.max_open_scroll_context</c> default).</summary>
    public const int DefaultMaxOpen = 500;

    /// <summary>The longest keep-alive (Elasticsearch's <c>search.max_keep_alive</c> default, 24 hours).</summary>
    public static readonly TimeSpan DefaultMaxKeepAlive = TimeSpan.FromHours(24);

    /// <summary>
    /// An expired, closed or never-opened point in time: <c>search_phase_execution_exception</c> "all shards failed"
    /// (404) whose root cause is <c>search_context_missing_exception</c> "No search context found for id [N]", as
    /// Elasticsearch answers when the search contexts behind an id are gone.
    /// </summary>
    public static EngineException Missing(long contextId)
    {
        var missing = new EngineException(404, "search_context_missing_exception", $"No search context found for id [{contextId}]");
        JsonObject Describe() => new() { ["type"] = missing.Type, ["reason"] = missing.Reason };
        var extra = new JsonObject
        {
            ["root_cause"] = new JsonArray(Describe()),
            ["phase"] = "query",
            ["grouped"] = true,
            ["failed_shards"] = new JsonArray(new JsonObject { ["shard"] = -1, ["index"] = null, ["reason"] = Describe() }),
            ["caused_by"] = Describe(),
        };
        return new EngineException(404, "search_phase_execution_exception", "all shards failed", extra: extra, rootCause: missing);
    }

    /// <summary>An id that does not decode (Elasticsearch's <c>SearchContextId.decode</c>).</summary>
    public static EngineException InvalidId(string id) => EngineException.IllegalArgument($"invalid id: [{id}]");

    /// <summary>Elasticsearch's <c>TooManyScrollContextsException</c> (429).</summary>
    public static EngineException TooMany(int max) => new(
        429,
        "too_many_scroll_contexts_exception",
        $"Trying to create too many scroll contexts. Must be less than or equal to: [{max}]. "
        + "This limit can be set by changing the [search.max_open_scroll_context] setting.");

    /// <summary>Elasticsearch's <c>SearchService.validateKeepAlive</c> message.</summary>
    public static EngineException KeepAliveTooLarge(TimeSpan keepAlive, TimeSpan max) => EngineException.IllegalArgument(
        $"Keep alive for request ({TimeValueText(keepAlive)}) is too large. It must be less than ({TimeValueText(max)}). "
        + "This limit can be set by changing the [search.max_keep_alive] cluster level setting.");

    /// <summary>
    /// Elasticsearch's <c>TimeValue.toString()</c>: the largest unit the value reaches, with at most one decimal
    /// (<c>1d</c>, <c>1.5d</c>, <c>36h</c> is <c>1.5d</c>, <c>90s</c> is <c>1.5m</c>).
    /// </summary>
    public static string TimeValueText(TimeSpan value)
    {
        (string Unit, double Ticks)[] units =
        [
            ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond),
            ("ms", TimeSpan.TicksPerMillisecond), ("micros", 10),
        ];
        foreach (var (unit, ticks) in units)
        {
            if (value.Ticks >= ticks)
            {
                var amount = Math.Round(value.Ticks / ticks, 1, MidpointRounding.ToEven);
                return amount.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + unit;
            }
        }

        return $"{value.Ticks * 100}nanos";
    }
}
