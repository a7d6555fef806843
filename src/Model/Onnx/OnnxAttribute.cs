using Google.Protobuf;
using Rerank.Model.Onnx.Proto;

namespace Rerank.Model.Onnx;

/// <summary>A node attribute (<c>axis</c>, <c>perm</c>, <c>epsilon</c>, ...).</summary>
internal sealed class OnnxAttribute
{
    private OnnxAttribute(AttributeProto proto) => Proto = proto;

    public string Name => Proto.Name;

    internal AttributeProto Proto { get; }

    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public static OnnxAttribute String(string name, string value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    public static OnnxAttribute Ints(string name, params long[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.AddRange(values);
        return new OnnxAttribute(proto);
    }

    public static OnnxAttribute Floats(string name, params float[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        proto.Floats.AddRange(values);
        return new OnnxAttribute(proto);
    }

    /// <summary>A graph-valued attribute (<c>If</c>'s <c>then_branch</c> / <c>else_branch</c>) from a subgraph builder.</summary>
    public static OnnxAttribute Graph(string name, OnnxGraphBuilder subgraph)
    {
        ArgumentNullException.ThrowIfNull(subgraph);
        return new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = subgraph.ToGraphProto() });
    }
}
