namespace Rerank.IngestPipeline.Contracts;

/// <summary>How a passage projection u_p is written into a document (docs/index-config.md).</summary>
public enum ProjectionEncoding
{
    /// <summary>A <c>dense_vector</c> (<c>index: false</c>) of float32 values, a JSON array.</summary>
    Float32,

    /// <summary>A <c>binary</c> field: base64 of H little-endian IEEE half-precision values.</summary>
    Float16,

    /// <summary>A <c>binary</c> field: base64 of a little-endian float32 scale followed by H signed bytes (x ≈ scale · q).</summary>
    Int8,
}
