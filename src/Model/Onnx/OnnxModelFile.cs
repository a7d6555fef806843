using System.Globalization;
using Google.Protobuf;
using Rerank.Model.Onnx.Proto;

namespace Rerank.Model.Onnx;

/// <summary>Writes ONNX models to disk, with weights inline or in an external data file beside the model.</summary>
internal static class OnnxModelFile
{
    /// <summary>
    /// Protobuf messages cannot exceed 2 GiB; above this many initializer bytes the weights go to external data.
    /// </summary>
    public const long ExternalDataThreshold = 1L << 30;

    /// <summary>Offsets in the external data file are multiples of this, so the file can be memory-mapped per tensor.</summary>
    private const int Alignment = 4096;

    /// <summary>Tensors smaller than this stay inline even when the rest goes external (shapes, axes, biases).</summary>
    private const int MinExternalTensorBytes = 1024;

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>. With <paramref name="externalData"/> null the
    /// weights go external only when they exceed <see cref="ExternalDataThreshold"/>; true or false forces it.
    /// External weights are written to <c>{file name}.data</c> beside the model, and the model's tensors are changed
    /// to point there (the model object no longer holds their bytes). Returns the external file's path, or null.
    /// </summary>
    public static string? Save(ModelProto model, string path, bool? externalData = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var initializers = model.Graph.Initializer;
        var total = initializers.Sum(t => (long)t.RawData.Length);
        string? dataPath = null;
        if (externalData ?? total > ExternalDataThreshold)
        {
            dataPath = path + ".data";
            var location = Path.GetFileName(dataPath);
            using var data = File.Create(dataPath);
            foreach (var tensor in initializers.Where(t => t.RawData.Length >= MinExternalTensorBytes))
            {
                var offset = (data.Position + Alignment - 1) / Alignment * Alignment;
                data.SetLength(offset);
                data.Position = offset;
                tensor.RawData.WriteTo(data);
                tensor.ExternalData.Add(Entry("location", location));
                tensor.ExternalData.Add(Entry("offset", offset.ToString(CultureInfo.InvariantCulture)));
                tensor.ExternalData.Add(Entry("length", tensor.RawData.Length.ToString(CultureInfo.InvariantCulture)));
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.RawData = ByteString.Empty;
            }
        }

        using var file = File.Create(path);
        model.WriteTo(file);
        return dataPath;
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
