using System.Collections.Frozen;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Rerank.LuceneBaseline.Analysis;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The analyzers a query's <c>analyzer</c> parameter may name: Elasticsearch's built-in <c>standard</c> (no stop
/// words), <c>simple</c>, <c>whitespace</c>, <c>stop</c> (English stop words), <c>keyword</c> and <c>cjk</c>. The other
/// built-in names (language analyzers, <c>pattern</c>, <c>fingerprint</c>) are refused as unsupported; any other name
/// is unknown, which Elasticsearch reports as <c>analyzer [x] not found</c>. Instances are shared and thread-safe.
/// </summary>
internal static class QueryAnalyzers
{
    private static readonly FrozenDictionary<string, Lazy<Analyzer>> Supported = new Dictionary<string, Lazy<Analyzer>>(StringComparer.Ordinal)
    {
        ["standard"] = new(() => AnalyzerFactory.Create(AnalyzerKind.Standard)),
        ["cjk"] = new(() => AnalyzerFactory.Create(AnalyzerKind.Cjk)),
        ["simple"] = new(() => new SimpleAnalyzer(AnalyzerFactory.Version)),
        ["whitespace"] = new(() => new WhitespaceAnalyzer(AnalyzerFactory.Version)),
        ["stop"] = new(() => new StopAnalyzer(AnalyzerFactory.Version)),
        ["keyword"] = new(() => new KeywordAnalyzer()),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> OtherBuiltIns = new[]
    {
        "pattern", "fingerprint", "snowball", "arabic", "armenian", "basque", "bengali", "brazilian", "bulgarian",
        "catalan", "czech", "danish", "dutch", "english", "estonian", "finnish", "french", "galician", "german",
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
