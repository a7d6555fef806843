using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The errors a search raises, with Elasticsearch's types and reasons. Elasticsearch prefixes some reasons with the
/// <c>[line:col]</c> position of the offending token; the engine works on a parsed JSON tree and leaves that prefix out.
/// </summary>
internal static class SearchErrors
{
    public static EngineException XContentParse(string reason, JsonObject? causedBy = null) =>
        new(400, "x_content_parse_exception", reason, extra: causedBy is null ? null : new JsonObject { ["caused_by"] = causedBy });

    /// <summary>Java's <c>NumberFormatException</c>, which Elasticsearch reports as <c>number_format_exception</c>.</summary>
    public static EngineException NumberFormat(string input) => new(400, "number_format_exception", $"For input string: \"{input}\"");

    /// <summary><c>action_request_validation_exception</c>: every message numbered, each ended by a semicolon (<see cref="EngineException.Validation"/>).</summary>
    public static EngineException Validation(IReadOnlyList<string> messages) => EngineException.Validation(messages);

    /// <summary>A part of the search API that Elasticsearch has and the embedded engine does not implement.</summary>
    public static EngineException Unsupported(string what) => EngineException.IllegalArgument($"{what} is not supported by the embedded engine");

    /// <summary>
    /// <c>query_shard_exception</c> (a failure while building the shard-level query), with the cause Elasticsearch
    /// reports under <c>caused_by</c>. Elasticsearch words it <c>failed to create query: {cause}</c> when a query builder
    /// threw.
    /// </summary>
    public static EngineException QueryShard(string index, string reason, EngineException? cause = null) =>
        new(400, "query_shard_exception", reason, index, cause is null ? null : new JsonObject { ["caused_by"] = Describe(cause, includeCause: true) });

    public static EngineException FailedToCreateQuery(string index, EngineException cause) =>
        QueryShard(index, "failed to create query: " + cause.Reason, cause);

    /// <summary>The error a text field gives when sorted or aggregated on (Elasticsearch 8.x wording).</summary>
    public static EngineException TextFieldData(string field, string index) => EngineException.IllegalArgument(
        $"Fielddata is disabled on [{field}] in [{index}]. Text fields are not optimised for operations that require per-document field data "
        + "like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, "
        + $"set fielddata=true on [{field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");

    /// <summary>Sorting, aggregating or <c>docvalue_fields</c> on a field mapped with <c>doc_values: false</c>.</summary>
    public static EngineException NoDocValues(string field, string type) =>
        EngineException.IllegalArgument($"Can't load fielddata on [{field}] because fielddata is unsupported on fields of type [{type}]. Use doc values instead.");

    /// <summary>Sorting or aggregating on <c>_id</c> (Elasticsearch 8 disables its field data by default).</summary>
    public static EngineException IdFieldData() => EngineException.IllegalArgument(
        "Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled");

    public static EngineException ResultWindowTooLarge(int maxResultWindow, long window) => EngineException.IllegalArgument(
        $"Result window is too large, from + size must be less than or equal to: [{maxResultWindow}] but was [{window}]. "
        + "See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "
        + "[index.max_result_window] index level setting.");

    /// <summary>An error as Elasticsearch writes it inside another error (<see cref="ErrorJson.Describe"/>).</summary>
    /// <param name="error">The error.</param>
    /// <param name="includeCause">Whether its <c>caused_by</c> chain is written (root causes are written without).</param>
    /// <param name="uuidOf">The uuid of an index by name; null uses <see cref="EngineException.StableUuid"/>.</param>
    public static JsonObject Describe(EngineException error, bool includeCause, Func<string, string>? uuidOf = null) =>
        ErrorJson.Describe(error, uuidOf ?? EngineException.StableUuid, includeCause);
}
