namespace Rerank.Model.Checkpoints;

/// <summary>The element types the trainer reads and writes, named as safetensors' header writes them (<c>"F32"</c> ...).</summary>
internal enum SafetensorsDtype
{
    /// <summary>IEEE 754 binary32, 4 bytes little-endian.</summary>
    F32,

    /// <summary>IEEE 754 binary16, 2 bytes little-endian.</summary>
    F16,

    /// <summary>bfloat16: the upper 16 bits of a binary32, 2 bytes little-endian.</summary>
    BF16,
}
