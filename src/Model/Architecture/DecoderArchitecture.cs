namespace Rerank.Model.Architecture;

/// <summary>The decoder families the student backbone supports, named as Hugging Face's <c>model_type</c>.</summary>
public enum DecoderArchitecture
{
    /// <summary>LLaMA (and Mistral-style) decoders: no attention biases.</summary>
    Llama,

    /// <summary>Qwen2 decoders: LLaMA's layout plus biases on the query, key and value projections.</summary>
    Qwen2,
}
