using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Analysis;

/// <summary>Creates the analyzers of <see cref="AnalyzerKind"/> and runs them over text.</summary>
public static class AnalyzerFactory
{
    /// <summary>The Lucene version whose analysis rules every analyzer here follows.</summary>
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Creates a new analyzer. The caller owns and disposes it; analyzers are thread-safe.</summary>
    public static Analyzer Create(AnalyzerKind kind) => kind switch
    {
        // Lucene's StandardAnalyzer defaults to English stop words; Elasticsearch's `standard` has none.
        AnalyzerKind.Standard => new StandardAnalyzer(Version, CharArraySet.Empty),
        AnalyzerKind.Cjk => new CJKAnalyzer(Version, CharArraySet.Empty),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown analyzer."),
    };

    /// <summary>Parses an analyzer name as used on the command line and in configuration (case-insensitive).</summary>
    public static AnalyzerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "standard" => AnalyzerKind.Standard,
        "cjk" => AnalyzerKind.Cjk,
        _ => throw new ArgumentException($"Unknown analyzer '{name}'; expected 'standard' or 'cjk'.", nameof(name)),
    };

    /// <summary>The lower-case name of an analyzer kind, as <see cref="Parse"/> accepts it.</summary>
    public static string Name(AnalyzerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The terms <paramref name="analyzer"/> produces for <paramref name="text"/>, in order, repeats kept.</summary>
    public static List<string> Tokenize(Analyzer analyzer, string field, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
