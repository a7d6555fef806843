using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Elasticsearch's strict <c>Booleans.parseBoolean</c>: exactly <c>true</c> or <c>false</c>, anything else an
/// <c>illegal_argument_exception</c> with its message. Stateless and thread-safe.
/// </summary>
internal static class JavaBooleans
{
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> for any other text.</exception>
    public static bool Parse(string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw EngineException.IllegalArgument(InvalidReason(text)),
    };

    /// <summary>Whether <paramref name="text"/> is one of the two values <see cref="Parse"/> takes.</summary>
    public static bool IsBoolean(string text) => text is "true" or "false";

    /// <summary>The failure's message for <paramref name="text"/> (as the value is shown).</summary>
    public static string InvalidReason(string text) => $"Failed to parse value [{text}] as only [true] or [false] are allowed.";
}
