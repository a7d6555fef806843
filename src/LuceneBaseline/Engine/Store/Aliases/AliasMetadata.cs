using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>One alias of one index, as <c>meta.json</c> keeps it and <c>GET /_alias</c> shows it.</summary>
/// <param name="Filter">The alias <c>filter</c> (a query every search through the alias is filtered by), or null.</param>
/// <param name="IsWriteIndex"><c>is_write_index</c> as given, or null when not given.</param>
internal sealed record AliasMetadata(JsonObject? Filter, bool? IsWriteIndex)
{
    public static AliasMetadata Plain { get; } = new(null, null);

    /// <summary>The parsed <see cref="Filter"/>, or null.</summary>
    public QueryNode? FilterNode { get; } = Filter is null ? null : QueryDslParser.ParseNode(Filter);

    /// <summary>The alias as Elasticsearch prints it: <c>filter</c> and <c>is_write_index</c> when set.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Filter is not null)
        {
            json["filter"] = Filter.DeepClone();
        }

        if (IsWriteIndex is { } write)
        {
            json["is_write_index"] = write;
        }

        return json;
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static AliasMetadata FromJson(JsonObject json) =>
        new(json["filter"] as JsonObject, json["is_write_index"]?.GetValue<bool>());
}
