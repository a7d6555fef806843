using System.Collections.Frozen;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The analyzers a query's <c>analyzer</c> parameter may name: the ones a text field may use
/// (<see cref="EngineAnalyzers.Names"/>: standard, simple, whitespace, keyword, stop, english, cjk), built the same way.
/// Elasticsearch's other built-in names (the other language analyzers, <c>pattern</c>, <c>fingerprint</c>) are refused
/// as unsupported; any other name is unknown, which Elasticsearch reports as <c>analyzer [x] not found</c>.
/// </summary>
internal static class QueryAnalyzers
{
    // One shared instance per name (analyzers are thread-safe); never disposed, they live as long as the process.
    private static readonly FrozenDictionary<string, Lazy<Analyzer>> Supported = EngineAnalyzers.Names
        .ToFrozenDictionary(name => name, name => new Lazy<Analyzer>(() => EngineAnalyzers.Create(name)), StringComparer.Ordinal);

    private static readonly FrozenSet<string> OtherBuiltIns = new[]
    {
        "pattern", "fingerprint", "snowball", "arabic", "armenian", "basque", "bengali", "brazilian", "bulgarian",
        "catalan", "czech", "danish", "dutch", "estonian", "finnish", "french", "galician", "german",
        "greek", "hindi", "hungarian", "indonesian", "irish", "italian", "latvian", "lithuanian", "norwegian",
        "persian", "portuguese", "romanian", "russian", "serbian", "sorani", "spanish", "swedish", "thai", "turkish",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The analyzer named <paramref name="name"/>, or null when Elasticsearch would not find it either.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception for a built-in the engine does not implement.</exception>
    public static Analyzer? Find(string name)
    {
        if (Supported.TryGetValue(name, out var analyzer))
        {
            return analyzer.Value;
        }

        if (OtherBuiltIns.Contains(name))
        {
            throw QueryErrors.Unsupported($"analyzer [{name}]");
        }

        return null;
    }

    public static bool IsKeyword(Analyzer analyzer) => analyzer is KeywordAnalyzer;
}
