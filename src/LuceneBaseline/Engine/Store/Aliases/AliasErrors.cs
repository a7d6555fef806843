using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>The errors of the alias APIs, worded as Elasticsearch words them.</summary>
internal static class AliasErrors
{
    public static EngineException InvalidAliasName(string alias, string why, string? index = null, string? uuid = null) =>
        new(400, "invalid_alias_name_exception", $"Invalid alias name [{alias}]: {why}", index, new JsonObject { ["index_uuid"] = uuid ?? StoreErrors.NoUuid });

    /// <summary>An alias named like an existing index.</summary>
    public static EngineException ClashesWithIndex(string alias, string uuid) =>
        InvalidAliasName(alias, "an index or data stream exists with the same name as the alias", alias, uuid);

    /// <summary>A new index named like an existing alias.</summary>
    public static EngineException IndexNameIsAlias(string name) => StoreErrors.InvalidIndexName(name, "already exists as alias");

    public static EngineException NoWriteIndex(string alias) => EngineException.IllegalArgument(
        $"no write index is defined for alias [{alias}]. The write index may be explicitly disabled using is_write_index=false or the alias "
        + "points to multiple indices without one being designated as a write index");

    /// <summary>A single-document read (get, <c>_source</c>, an <c>_mget</c> item) through an alias of several indices.</summary>
    public static EngineException MoreThanOneIndex(string alias, IEnumerable<string> indices) => EngineException.IllegalArgument(
        $"alias [{alias}] has more than one index associated with it [{string.Join(", ", indices)}], can't execute a single index op");

    /// <summary>Deleting an alias by the delete-index API (Elasticsearch wants the concrete indices).</summary>
    public static EngineException DeleteIndexNamesAlias(string alias) => EngineException.IllegalArgument(
        $"The provided expression [{alias}] matches an alias, specify the corresponding concrete indices instead.");

    public static EngineException MoreThanOneWriteIndex(string alias, IEnumerable<string> indices) =>
        new(400, "illegal_state_exception", $"alias [{alias}] has more than one write index [{string.Join(',', indices)}]");

    public static EngineException Missing(IReadOnlyList<string> aliases) =>
        new(404, "aliases_not_found_exception", $"aliases [{string.Join(',', aliases)}] missing", extra: new JsonObject
        {
            ["resource.type"] = "aliases",
            ["resource.id"] = string.Join(',', aliases),
        });

    /// <summary>A part of the alias API that Elasticsearch has and the engine does not implement.</summary>
    public static EngineException Unsupported(string what) => EngineException.IllegalArgument($"{what} is not supported by the embedded engine");
}
