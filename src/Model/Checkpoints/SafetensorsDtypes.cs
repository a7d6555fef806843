namespace Rerank.Model.Checkpoints;

/// <summary>Names and sizes of <see cref="SafetensorsDtype"/>, and the names <c>config.json</c> uses.</summary>
internal static class SafetensorsDtypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDtype dtype) => dtype == SafetensorsDtype.F32 ? 4 : 2;

    /// <summary>The header's spelling: <c>F32</c>, <c>F16</c>, <c>BF16</c>.</summary>
    public static string HeaderName(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => "F32",
        SafetensorsDtype.F16 => "F16",
        _ => "BF16",
    };

    /// <summary>Parses a header dtype; false for any other safetensors dtype (I64, F64, F8_E4M3 ...) or unknown text.</summary>
    public static bool TryParseHeaderName(string? text, out SafetensorsDtype dtype)
    {
        switch (text)
        {
            case "F32":
                dtype = SafetensorsDtype.F32;
                return true;
            case "F16":
                dtype = SafetensorsDtype.F16;
                return true;
            case "BF16":
                dtype = SafetensorsDtype.BF16;
                return true;
            default:
                dtype = default;
                return false;
        }
    }

    /// <summary><c>config.json</c>'s <c>torch_dtype</c>: <c>float32</c>, <c>float16</c>, <c>bfloat16</c>.</summary>
    public static string TorchDtypeName(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => "float32",
        SafetensorsDtype.F16 => "float16",
        _ => "bfloat16",
    };

    /// <summary>Parses <c>torch_dtype</c> (also accepting the short forms fp32/f32, fp16/f16/half, bf16).</summary>
    public static bool TryParseTorchDtypeName(string? text, out SafetensorsDtype dtype)
    {
        switch (text?.ToLowerInvariant())
        {
            case "float32" or "fp32" or "f32" or "float":
                dtype = SafetensorsDtype.F32;
                return true;
            case "float16" or "fp16" or "f16" or "half":
                dtype = SafetensorsDtype.F16;
                return true;
            case "bfloat16" or "bf16":
                dtype = SafetensorsDtype.BF16;
                return true;
            default:
                dtype = default;
                return false;
        }
    }
}
