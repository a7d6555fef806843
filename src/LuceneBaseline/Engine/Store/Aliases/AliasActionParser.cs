using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>Parses the alias parts of requests: <c>POST /_aliases</c>, the body of <c>PUT /{index}/_alias/{name}</c>, and <c>aliases</c> of index creation.</summary>
internal static class AliasActionParser
{
    /// <summary>Routing and hidden aliases: Elasticsearch has them, the engine does not.</summary>
    private static readonly HashSet<string> Refused = ["routing", "index_routing", "search_routing", "is_hidden"];

    /// <summary>The <c>actions</c> of a <c>POST /_aliases</c> body.</summary>
    /// <exception cref="EngineException">Elasticsearch's validation errors; the refusal of routing and hidden aliases.</exception>
    public static List<AliasAction> ParseActions(JsonObject body)
    {
        var actions = new List<AliasAction>();
        foreach (var (key, value) in body)
        {
            if (key != "actions")
            {
                throw SearchErrors.XContentParse($"[aliases] unknown field [{key}]");
            }

            var list = value switch
            {
                JsonArray array => array,
                JsonObject single => [single.DeepClone()],
                _ => throw SearchErrors.XContentParse($"[aliases] actions doesn't support values of type: {JsonArgs.TokenName(value)}"),
            };
            foreach (var item in list)
            {
                if (item is not JsonObject { Count: 1 } wrapper)
                {
                    throw SearchErrors.XContentParse("[aliases] each action must be an object with one of [add, remove, remove_index]");
                }

                var (name, spec) = wrapper.First();
                var kind = name switch
                {
                    "add" => AliasActionKind.Add,
                    "remove" => AliasActionKind.Remove,
                    "remove_index" => AliasActionKind.RemoveIndex,
                    _ => throw SearchErrors.XContentParse($"[alias_action] unknown field [{name}]"),
                };
                actions.Add(ParseAction(kind, spec as JsonObject
                    ?? throw SearchErrors.XContentParse($"[{name}] doesn't support values of type: {JsonArgs.TokenName(spec)}")));
            }
        }

        if (actions.Count == 0)
        {
            throw EngineException.Validation(["Must specify at least one alias action"]);
        }

        return actions;
    }

    /// <summary>The body of <c>PUT /{index}/_alias/{name}</c> (null for none): <c>filter</c>, <c>is_write_index</c>.</summary>
    public static AliasMetadata ParseAlias(string alias, JsonObject? body)
    {
        JsonObject? filter = null;
        bool? write = null;
        foreach (var (key, value) in body ?? [])
        {
            switch (key)
            {
                case "filter":
                    filter = ReadFilter(alias, value);
                    break;
                case "is_write_index":
                    write = JsonArgs.ReadBool(value);
                    break;
                default:
                    throw Unknown(key);
            }
        }

        return new AliasMetadata(filter, write);
    }

    /// <summary><c>aliases</c> of a create-index body: <c>{name: {filter?, is_write_index?}}</c>.</summary>
    public static Dictionary<string, AliasMetadata> ParseCreateAliases(JsonNode? value)
    {
        if (value is not JsonObject aliases)
        {
            throw StoreErrors.Parse("key [aliases] must be an object");
        }

        var parsed = new Dictionary<string, AliasMetadata>(StringComparer.Ordinal);
        foreach (var (name, spec) in aliases)
        {
            ValidateName(name);
            parsed[name] = ParseAlias(name, spec as JsonObject ?? (JsonArgs.IsNull(spec) ? null : throw StoreErrors.Parse($"key [{name}] must be an object")));
        }

        return parsed;
    }

    /// <summary>Elasticsearch's alias-name rules: those of index names, except that upper case is allowed.</summary>
    public static void ValidateName(string alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw EngineException.IllegalArgument($"alias [{alias}] must not be empty");
        }

        var why = IndexNames.Check(alias);
        if (why is not null && why != "must be lowercase")
        {
            throw AliasErrors.InvalidAliasName(alias, why);
        }
    }

    private static AliasAction ParseAction(AliasActionKind kind, JsonObject spec)
    {
        var indices = new List<string>();
        var aliases = new List<string>();
        JsonNode? filter = null;
        bool? write = null;
        var mustExist = true;
        foreach (var (key, value) in spec)
        {
            switch (key)
            {
                case "index":
                    indices.Add(JsonArgs.ReadText(value, key));
                    break;
                case "indices":
                    indices.AddRange(Strings(value, key));
                    break;
                case "alias" when kind != AliasActionKind.RemoveIndex:
                    aliases.Add(JsonArgs.ReadText(value, key));
                    break;
                case "aliases" when kind != AliasActionKind.RemoveIndex:
                    aliases.AddRange(Strings(value, key));
                    break;
                case "filter" when kind == AliasActionKind.Add:
                    filter = value;
                    break;
                case "is_write_index" when kind == AliasActionKind.Add:
                    write = JsonArgs.ReadBool(value);
                    break;
                case "must_exist" when kind == AliasActionKind.Remove:
                    mustExist = JsonArgs.ReadBool(value);
                    break;
                default:
                    throw Unknown(key);
            }
        }

        // Elasticsearch's AliasActions.validate.
        if (indices.Count == 0)
        {
            throw EngineException.IllegalArgument("One of [index] or [indices] is required");
        }

        if (kind != AliasActionKind.RemoveIndex && aliases.Count == 0)
        {
            throw EngineException.IllegalArgument("One of [alias] or [aliases] is required");
        }

        if (kind == AliasActionKind.Add)
        {
            foreach (var alias in aliases)
            {
                ValidateName(alias);
            }
        }

        var metadata = new AliasMetadata(filter is null ? null : ReadFilter(aliases[0], filter), write);
        return new AliasAction(kind, indices, aliases, metadata, mustExist);
    }

    private static JsonObject ReadFilter(string alias, JsonNode? value)
    {
        if (value is not JsonObject filter)
        {
            throw EngineException.IllegalArgument($"failed to parse filter for alias [{alias}]");
        }

        try
        {
            QueryDslParser.ParseNode(filter);
        }
        catch (EngineException e)
        {
            throw new EngineException(400, "illegal_argument_exception", $"failed to parse filter for alias [{alias}]", extra: new JsonObject
            {
                ["caused_by"] = new JsonObject { ["type"] = e.Type, ["reason"] = e.Reason },
            });
        }

        return (JsonObject)filter.DeepClone();
    }

    private static List<string> Strings(JsonNode? value, string key) => value switch
    {
        JsonArray array => [.. array.Select(item => JsonArgs.ReadText(item, key))],
        JsonValue single when single.GetValueKind() == JsonValueKind.String => [single.GetValue<string>()],
        _ => throw SearchErrors.XContentParse($"[{key}] expected a string or an array of strings but found [{JsonArgs.TokenName(value)}]"),
    };

    private static EngineException Unknown(string key) =>
        Refused.Contains(key) ? AliasErrors.Unsupported($"alias [{key}]") : SearchErrors.XContentParse($"[aliases] unknown field [{key}]");
}
