namespace Rerank.Model.Checkpoints;

/// <summary>One tensor to write: its header entry and a callback that writes exactly its bytes.</summary>
/// <param name="Name">The key.</param>
/// <param name="Dtype">The element type the bytes are in.</param>
/// <param name="Shape">Row-major dimensions.</param>
/// <param name="WriteData">Writes the tensor's <c>elements x size</c> little-endian bytes to the stream, no more and no fewer.</param>
internal sealed record SafetensorsWriteEntry(string Name, SafetensorsDtype Dtype, long[] Shape, Action<Stream> WriteData)
{
    public long ByteLength => Shape.Aggregate(1L, (a, d) => a * d) * Dtype.Size();

    /// <summary>An entry for float32 values, stored as <paramref name="dtype"/> (rounded as <see cref="FloatConversion"/> says).</summary>
    public static SafetensorsWriteEntry FromSingles(string name, SafetensorsDtype dtype, long[] shape, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (shape.Aggregate(1L, (a, d) => a * d) != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has {values.Length} values but shape {SafetensorsTensorInfo.FormatShape(shape)}.", nameof(values));
        }

        return new SafetensorsWriteEntry(name, dtype, shape, stream => SafetensorsWriter.WriteSingles(stream, values, dtype));
    }
}
