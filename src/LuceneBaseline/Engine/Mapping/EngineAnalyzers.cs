using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Util;
using Rerank.LuceneBaseline.Analysis;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// The built-in Elasticsearch analyzers a <c>text</c> field may name (<c>analyzer</c>), each built from the Lucene
/// analyzer Elasticsearch itself wraps. Custom analyzers (index <c>settings.analysis</c>) are not supported.
/// </summary>
internal static class EngineAnalyzers
{
    /// <summary>The analyzer a text field uses when its mapping names none.</summary>
    public const string Default = "standard";

    /// <summary>Elasticsearch's default <c>position_increment_gap</c> for text fields.</summary>
    public const int DefaultPositionIncrementGap = 100;

    /// <summary>
    /// <c>standard</c> (UAX #29 words, lower-cased, no stop words), <c>simple</c> (letters only, lower-cased),
    /// <c>whitespace</c>, <c>keyword</c> (the whole value as one token), <c>stop</c> (<c>simple</c> plus English stop
    /// words), <c>english</c> (possessives, English stop words, Porter stemming) and <c>cjk</c> (CJK bigrams).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "simple", "whitespace", "keyword", "stop", "english", "cjk"];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>A new analyzer for <paramref name="name"/> (one of <see cref="Names"/>); the caller disposes it.</summary>
    public static Analyzer Create(string name) => name switch
    {
        // Lucene's StandardAnalyzer defaults to English stop words; Elasticsearch's `standard` has none.
        "standard" => AnalyzerFactory.Create(AnalyzerKind.Standard),
        "simple" => new SimpleAnalyzer(AnalyzerFactory.Version),
        "whitespace" => new WhitespaceAnalyzer(AnalyzerFactory.Version),
        "keyword" => new KeywordAnalyzer(),
        "stop" => new StopAnalyzer(AnalyzerFactory.Version),
        "english" => new EnglishAnalyzer(AnalyzerFactory.Version),

        // PORT NOTE: Elasticsearch's `cjk` removes English stop words; the engine keeps them, like the BM25 baseline's
        // cjk analyzer (Analysis/AnalyzerFactory), so that the engine and `rerank eval bm25` rank alike.
        "cjk" => new CJKAnalyzer(AnalyzerFactory.Version, CharArraySet.Empty),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown analyzer."),
    };
}
