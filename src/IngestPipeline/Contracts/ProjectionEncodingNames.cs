namespace Rerank.IngestPipeline.Contracts;

/// <summary>The names of <see cref="ProjectionEncoding"/> in <c>_meta.rerank.projection_encoding</c>.</summary>
public static class ProjectionEncodingNames
{
    public const string Float32 = "float32";
    public const string Float16 = "float16";
    public const string Int8 = "int8";

    public static IReadOnlyList<string> All { get; } = [Float32, Float16, Int8];

    public static string ToName(ProjectionEncoding encoding) => encoding switch
    {
        ProjectionEncoding.Float32 => Float32,
        ProjectionEncoding.Float16 => Float16,
        ProjectionEncoding.Int8 => Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    public static bool TryParse(string? name, out ProjectionEncoding encoding)
    {
        switch (name)
        {
            case Float32:
                encoding = ProjectionEncoding.Float32;
                return true;
            case Float16:
                encoding = ProjectionEncoding.Float16;
                return true;
            case Int8:
                encoding = ProjectionEncoding.Int8;
                return true;
            default:
                encoding = default;
                return false;
        }
    }
}
