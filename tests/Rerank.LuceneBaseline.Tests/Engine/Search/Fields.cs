using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Tests.Engine.Search;

/// <summary>Mappings for the search tests, built as the mapping model (no parser involved).</summary>
internal static class Fields
{
    public static IndexMapping Mapping(params FieldMapping[] fields) => new(fields.ToDictionary(f => f.Path));

    public static FieldMapping Text(string path, bool keyword = false) => new()
    {
        Path = path,
        Type = FieldType.Text,
        Analyzer = "standard",
        Fields = keyword
            ? new Dictionary<string, FieldMapping> { ["keyword"] = new() { Path = path + ".keyword", Type = FieldType.Keyword, IgnoreAbove = 256 } }
            : null,
    };

    public static FieldMapping Keyword(string path, int? ignoreAbove = null) => new() { Path = path, Type = FieldType.Keyword, IgnoreAbove = ignoreAbove };

    public static FieldMapping Of(string path, FieldType type, string? format = null) => new() { Path = path, Type = type, Format = format };

    public static FieldMapping Vector(string path, int dims, VectorSimilarity similarity, bool index = true) =>
        new() { Path = path, Type = FieldType.DenseVector, Dims = dims, Similarity = similarity, Index = index };

    public static FieldMapping Object(string path, params FieldMapping[] properties) =>
        new() { Path = path, Type = FieldType.Object, Properties = properties.ToDictionary(p => p.Name) };
}
