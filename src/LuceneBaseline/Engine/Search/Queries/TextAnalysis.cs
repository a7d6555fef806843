using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>Runs an analyzer over query text, keeping positions (tokens at one position are synonyms or overlaps).</summary>
internal static class TextAnalysis
{
    public static List<AnalyzedToken> Analyze(Analyzer analyzer, string field, string text)
    {
        var tokens = new List<AnalyzedToken>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            // The first token's increment is at least 1 in Lucene's analyzers; a 0 there still means position 0.
            position += tokens.Count == 0 ? Math.Max(1, increment.PositionIncrement) : increment.PositionIncrement;
            tokens.Add(new AnalyzedToken(term.ToString(), position));
        }

        stream.End();
        return tokens;
    }

    /// <summary>The tokens grouped by position, in order.</summary>
    public static List<List<string>> ByPosition(IReadOnlyList<AnalyzedToken> tokens)
    {
        var groups = new List<List<string>>();
        var last = int.MinValue;
        foreach (var token in tokens)
        {
            if (token.Position != last)
            {
                groups.Add([]);
                last = token.Position;
            }

            groups[^1].Add(token.Term);
        }

        return groups;
    }
}
