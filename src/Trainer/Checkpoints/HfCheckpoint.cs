using Rerank.Model.Checkpoints;
using Rerank.Model.Architecture;
using Rerank.Model.Weights;
using Rerank.Trainer.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Rerank.Trainer.Checkpoints;

/// <summary>
/// A Hugging Face model directory opened for loading: <c>config.json</c> plus <c>model.safetensors</c>, or shards
/// listed by <c>model.safetensors.index.json</c>. Every tensor the config implies is checked (present, right shape)
/// before anything is loaded; tensors are then read one at a time from memory-mapped files.
/// </summary>
/// <remarks>
/// Opening and checking is src/Model's managed <see cref="HfCheckpointReader"/>; this type adds TorchSharp tensors.
/// The expected tensors are <see cref="BackboneWeights.ParameterShapes"/>, the list the ONNX graphs read too.
/// Tensors the config does not imply (an old LLaMA's <c>rotary_emb.inv_freq</c>, a tied model's redundant
/// <c>lm_head.weight</c>) are listed in <see cref="UnusedTensors"/> and otherwise ignored. Peak memory while loading
/// is the tensors loaded so far plus one tensor's mapped bytes (and, when converting dtype, one tensor's copy).
/// The owner disposes; reads may run concurrently.
/// </remarks>
internal sealed class HfCheckpoint : IDisposable
{
    /// <summary>Tensors are copied in pieces of at most this many bytes (a Span holds under 2 GiB; a 70B embedding does not).</summary>
    internal const long DefaultChunkBytes = 256L << 20;

    private readonly HfCheckpointReader _reader;

    private HfCheckpoint(HfCheckpointReader reader) => _reader = reader;

    public string Directory => _reader.Directory;

    public HfModelConfig Config => _reader.Config;

    /// <summary>The tensors the config implies, in forward order, with their shapes.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Parameters => _reader.Parameters;

    /// <summary>Tensors in the files that the config does not imply; they are never loaded.</summary>
    public IReadOnlyList<string> UnusedTensors => _reader.UnusedTensors;

    /// <summary>The safetensors files (one, or the shards in index order).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _reader.Files;

    /// <summary>Bytes of all safetensors files together.</summary>
    public long TotalBytes => _reader.TotalBytes;

    /// <summary>Opens <paramref name="directory"/> and checks it (src/Model's <see cref="HfCheckpointReader.Open"/>).</summary>
    /// <exception cref="CheckpointException">Every problem found: config keys, index entries, missing shards, missing tensors, wrong shapes.</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or truncated; the message names it and the tensor.</exception>
    public static HfCheckpoint Open(string directory) => new(HfCheckpointReader.Open(directory));

    /// <summary>The entry of tensor <paramref name="name"/> and the file holding it.</summary>
    /// <exception cref="InvalidDataException">No such tensor.</exception>
    public (SafetensorsFile File, SafetensorsTensorInfo Info) Find(string name) => _reader.Find(name);

    /// <summary>Reads tensor <paramref name="name"/> as float32 values.</summary>
    public float[] ReadSingles(string name) => _reader.ReadSingles(name);

    /// <summary>Every parameter as float32, in src/Model's <see cref="WeightSet"/> (for ONNX export and tests; holds the model in fp32).</summary>
    public WeightSet ReadWeightSet() => _reader.ReadWeightSet();

    /// <summary>
    /// A new CPU tensor with the values of <paramref name="name"/>, in <paramref name="dtype"/> (default: the file's).
    /// Not requiring grad; the caller disposes it.
    /// </summary>
    public Tensor ReadTensor(string name, ScalarType? dtype = null)
    {
        TorchNative.Initialize();
        var (file, info) = Find(name);
        var stored = info.Dtype.ToScalarType();
        var tensor = empty(info.Shape, stored);
        try
        {
            CopyBytes(file, info, tensor, DefaultChunkBytes);
            if (dtype is { } target && target != stored)
            {
                var converted = tensor.to(target);
                tensor.Dispose();
                return converted;
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/> (a parameter, say), converting dtype
    /// and device as needed, without recording autograd history. A contiguous CPU destination of the file's dtype is
    /// filled straight from the mapped file, with no intermediate copy.
    /// </summary>
    /// <exception cref="InvalidDataException">No such tensor, or <paramref name="destination"/> has another shape; the message names both.</exception>
    public void ReadInto(string name, Tensor destination) => ReadInto(name, destination, DefaultChunkBytes);

    internal void ReadInto(string name, Tensor destination, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        TorchNative.Initialize();
        var (file, info) = Find(name);
        if (!destination.shape.AsSpan().SequenceEqual(info.Shape))
        {
            throw new InvalidDataException($"{file.Path}: tensor '{name}' has shape {info.ShapeText}, the destination {SafetensorsTensorInfo.FormatShape(destination.shape)}");
        }

        using var _ = no_grad();
        if (destination.device_type == DeviceType.CPU && destination.dtype == info.Dtype.ToScalarType() && destination.is_contiguous())
        {
            CopyBytes(file, info, destination, chunkBytes);
            return;
        }

        using var staged = empty(info.Shape, info.Dtype.ToScalarType());
        CopyBytes(file, info, staged, chunkBytes);
        destination.copy_(staged);
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>Fills the contiguous CPU <paramref name="tensor"/> (of the file's dtype) with the tensor's bytes, piece by piece.</summary>
    private static void CopyBytes(SafetensorsFile file, SafetensorsTensorInfo info, Tensor tensor, long chunkBytes)
    {
        var size = info.Dtype.Size();
        var chunkElements = Math.Max(1, chunkBytes / size);
        if (info.ByteLength <= chunkBytes)
        {
            file.ReadBytes(info, 0, tensor.bytes);
            return;
        }

        using var flat = tensor.view(-1);
        for (var start = 0L; start < info.ElementCount; start += chunkElements)
        {
            var count = Math.Min(chunkElements, info.ElementCount - start);
            using var piece = flat.narrow(0, start, count);
            file.ReadBytes(info, start * size, piece.bytes);
        }
    }
}
