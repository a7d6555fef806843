namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>What happens to fields a document has and the mapping does not (<c>dynamic</c>).</summary>
internal enum DynamicMode
{
    /// <summary><c>true</c> (default): add them to the mapping.</summary>
    True,

    /// <summary><c>false</c>: keep them in _source, do not index them.</summary>
    False,

    /// <summary><c>strict</c>: reject the document.</summary>
    Strict,
}
