namespace Rerank.Model.Onnx;

/// <summary>Tensor element types, with the ONNX <c>TensorProto.DataType</c> numbers.</summary>
internal enum OnnxElementType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Float16 = 10,
    BFloat16 = 16,
}
