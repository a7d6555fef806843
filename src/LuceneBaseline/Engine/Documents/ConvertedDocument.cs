using Lucene.Net.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>A source turned into a Lucene document.</summary>
/// <param name="Document">The Lucene document in the engine's layout.</param>
/// <param name="SourceBytes">The UTF-8 JSON stored as <c>_source</c>.</param>
/// <param name="Mapping">The mapping with any dynamic additions the document implied.</param>
/// <param name="MappingChanged">Whether <paramref name="Mapping"/> differs from the mapping passed in.</param>
internal sealed record ConvertedDocument(Document Document, byte[] SourceBytes, IndexMapping Mapping, bool MappingChanged);
