namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>The mapping field types the engine supports, with Elasticsearch's names (<see cref="FieldTypes"/>).</summary>
internal enum FieldType
{
    Text,
    Keyword,
    Long,
    Integer,
    Short,
    Byte,
    Double,
    Float,
    HalfFloat,
    Boolean,
    Date,
    DenseVector,
    Binary,
    Object,
}
