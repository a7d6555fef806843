using System.Collections.Concurrent;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Analyses each field with the analyzer its mapping names (index side and query side): a <c>text</c> field (or
/// text multi-field) with its <c>analyzer</c>, every other field with a keyword analyzer, so a keyword, boolean or
/// unmapped field's query text stays one exact term.
/// </summary>
/// <remarks>
/// Thread-safe, like every Lucene analyzer. Owns the analyzers it creates (one per analyzer name, on first use) and
/// disposes them with itself. Token-stream reuse is keyed by field and analyzer name, not by field alone: a field
/// that was analysed while unmapped (keyword) and is mapped as text later by a dynamic update must not keep reusing
/// the keyword components.
/// </remarks>
internal sealed class MappingAnalyzer : AnalyzerWrapper
{
    private const string KeywordKey = "\0keyword";

    private readonly Func<IndexMapping> _mapping;
    private readonly ConcurrentDictionary<string, Analyzer> _analyzers = new(StringComparer.Ordinal);
    private readonly KeywordAnalyzer _keyword = new();

    /// <param name="mapping">Returns the current mapping; called per field, so a mapping update takes effect at once.</param>
    public MappingAnalyzer(Func<IndexMapping> mapping)
        : base(new MappingReuseStrategy(mapping))
    {
        _mapping = mapping;
    }

    /// <summary>The analyzer name <paramref name="field"/> is analysed with, or null for the keyword analyzer.</summary>
    internal static string? AnalyzerName(IndexMapping mapping, string field) =>
        mapping.Find(field) is { Type: FieldType.Text } text ? text.Analyzer ?? EngineAnalyzers.Default : null;

    public override int GetPositionIncrementGap(string fieldName) =>
        _mapping().Find(fieldName) is { Type: FieldType.Text } text ? text.PositionIncrementGap : base.GetPositionIncrementGap(fieldName);

    protected override Analyzer GetWrappedAnalyzer(string fieldName)
    {
        var name = AnalyzerName(_mapping(), fieldName);
        return name is null ? _keyword : _analyzers.GetOrAdd(name, EngineAnalyzers.Create);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var analyzer in _analyzers.Values)
            {
                analyzer.Dispose();
            }

            _keyword.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Per-thread reusable components keyed by field and analyzer name.</summary>
    private sealed class MappingReuseStrategy(Func<IndexMapping> mapping) : ReuseStrategy
    {
        public override TokenStreamComponents GetReusableComponents(Analyzer analyzer, string fieldName)
        {
            var cache = (Dictionary<string, TokenStreamComponents>?)GetStoredValue(analyzer);
            return cache?.GetValueOrDefault(Key(fieldName))!;
        }

        public override void SetReusableComponents(Analyzer analyzer, string fieldName, TokenStreamComponents components)
        {
            var cache = (Dictionary<string, TokenStreamComponents>?)GetStoredValue(analyzer);
            if (cache is null)
            {
                cache = new Dictionary<string, TokenStreamComponents>(StringComparer.Ordinal);
                SetStoredValue(analyzer, cache);
            }

            cache[Key(fieldName)] = components;
        }

        private string Key(string fieldName) => fieldName + "\0" + (AnalyzerName(mapping(), fieldName) ?? KeywordKey);
    }
}
