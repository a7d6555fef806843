using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>The mapping errors, worded as Elasticsearch words them.</summary>
internal static class MappingErrors
{
    /// <summary>A <c>mapper_parsing_exception</c> for a malformed or unsupported mapping.</summary>
    public static EngineException Parsing(string reason) => EngineException.MapperParsing(reason);

    /// <summary>
    /// A mapping the engine cannot honour although Elasticsearch would (a type, parameter or option it lacks):
    /// <c>mapper_parsing_exception</c> naming it, so nothing is silently ignored.
    /// </summary>
    public static EngineException Unsupported(string what) => EngineException.MapperParsing($"the embedded engine does not support {what}");

    public static EngineException UnknownParameter(string parameter, string field, string type) =>
        Parsing($"unknown parameter [{parameter}] on mapper [{field}] of type [{type}]");

    public static EngineException UnsupportedParameter(string parameter, string field, string type) =>
        Unsupported($"parameter [{parameter}] on mapper [{field}] of type [{type}]");

    /// <summary>
    /// What Elasticsearch's <c>MapperService.parseMapping</c> answers for any failure while parsing a mapping:
    /// <c>mapper_parsing_exception</c> "Failed to parse mapping: {reason}" caused by the original error. An
    /// Elasticsearch exception (<c>mapper_parsing_exception</c>, <c>parse_exception</c>) is also the root cause; a plain
    /// Java one (<c>illegal_argument_exception</c>, <c>number_format_exception</c>) is not, so the root cause is the
    /// wrapper itself.
    /// </summary>
    public static EngineException FailedToParse(EngineException cause)
    {
        var extra = new JsonObject { ["caused_by"] = new JsonObject { ["type"] = cause.Type, ["reason"] = cause.Reason } };
        var rootCause = cause.Type is "mapper_parsing_exception" or "parse_exception" ? cause : null;
        return new EngineException(400, "mapper_parsing_exception", "Failed to parse mapping: " + cause.Reason, extra: extra, rootCause: rootCause);
    }

    /// <summary>Elasticsearch's merge conflict: one line per parameter that cannot change.</summary>
    public static EngineException Conflicts(string field, IReadOnlyList<string> conflicts) =>
        EngineException.IllegalArgument($"Mapper for [{field}] conflicts with existing mapper:\n\t{string.Join("\n\t", conflicts)}");

    public static string CannotUpdate(string parameter, string? from, string? to) =>
        $"Cannot update parameter [{parameter}] from [{from ?? "null"}] to [{to ?? "null"}]";

    public static EngineException TypeChange(string field, string from, string to) =>
        EngineException.IllegalArgument($"mapper [{field}] cannot be changed from type [{from}] to [{to}]");

    public static EngineException ObjectConflict(string field) =>
        EngineException.IllegalArgument($"can't merge a non object mapping [{field}] with an object mapping");
}
