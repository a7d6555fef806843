using System.Collections.Frozen;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>Names and families of <see cref="FieldType"/>.</summary>
internal static class FieldTypes
{
    private static readonly FrozenDictionary<string, FieldType> ByName = new Dictionary<string, FieldType>(StringComparer.Ordinal)
    {
        ["text"] = FieldType.Text,
        ["keyword"] = FieldType.Keyword,
        ["long"] = FieldType.Long,
        ["integer"] = FieldType.Integer,
        ["short"] = FieldType.Short,
        ["byte"] = FieldType.Byte,
        ["double"] = FieldType.Double,
        ["float"] = FieldType.Float,
        ["half_float"] = FieldType.HalfFloat,
        ["boolean"] = FieldType.Boolean,
        ["date"] = FieldType.Date,
        ["dense_vector"] = FieldType.DenseVector,
        ["binary"] = FieldType.Binary,
        ["object"] = FieldType.Object,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryParse(string name, out FieldType type) => ByName.TryGetValue(name, out type);

    /// <summary>Elasticsearch's name of the type (<c>dense_vector</c>, <c>half_float</c>, ...).</summary>
    public static string Name(FieldType type) => type switch
    {
        FieldType.HalfFloat => "half_float",
        FieldType.DenseVector => "dense_vector",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Integer types, indexed as Int64 (long, integer, short, byte) with their value ranges.</summary>
    public static bool IsInteger(FieldType type) => type is FieldType.Long or FieldType.Integer or FieldType.Short or FieldType.Byte;

    /// <summary>Floating-point types, indexed as double.</summary>
    public static bool IsFloatingPoint(FieldType type) => type is FieldType.Double or FieldType.Float or FieldType.HalfFloat;

    public static bool IsNumeric(FieldType type) => IsInteger(type) || IsFloatingPoint(type);
}
