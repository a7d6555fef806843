using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Tests.Engine.Search.Queries;

/// <summary>Mappings for the query tests, built from the model types.</summary>
internal static class TestMappings
{
    public static FieldMapping Field(string path, FieldType type, string? analyzer = null, int? ignoreAbove = null, params FieldMapping[] fields) => new()
    {
        Path = path,
        Type = type,
        Analyzer = analyzer,
        IgnoreAbove = ignoreAbove,
        Fields = fields.Length == 0 ? null : fields.ToDictionary(f => f.Name),
    };

    public static FieldMapping Object(string path, params FieldMapping[] properties) => new()
    {
        Path = path,
        Type = FieldType.Object,
        Properties = properties.ToDictionary(p => p.Name),
    };

    public static IndexMapping Mapping(params FieldMapping[] fields) => new(fields.ToDictionary(f => f.Name));
}
