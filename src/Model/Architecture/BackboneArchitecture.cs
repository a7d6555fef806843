namespace Rerank.Model.Architecture;

/// <summary>The backbone families the student supports, named as Hugging Face's <c>model_type</c>.</summary>
public enum BackboneArchitecture
{
    /// <summary>LLaMA (and Mistral-style) decoders: no attention biases.</summary>
    Llama,

    /// <summary>Qwen2 decoders: LLaMA's layout plus biases on the query, key and value projections.</summary>
    Qwen2,

    /// <summary>
    /// BERT encoders (all-MiniLM-L6-v2, arctic-embed-xs): learned absolute positions, token types, post-LayerNorm,
    /// exact (erf) GELU, bidirectional attention. Parameters under transformers' <c>BertModel</c> names.
    /// </summary>
    Bert,
}
