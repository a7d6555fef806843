using System.Text.Json.Serialization;

namespace Rerank.Model.Architecture;

/// <summary>
/// The shape of the student's backbone (a LLaMA-family decoder or a BERT encoder), with the meaning (and defaults) of
/// the Hugging Face <c>config.json</c> keys named in each property's summary.
/// </summary>
/// <remarks>
/// The decoder-only keys (<see cref="RopeTheta"/>, <see cref="RmsNormEps"/>, <see cref="TieWordEmbeddings"/>) are
/// always written, so version-1 manifests keep their bytes; a BERT backbone ignores them. The BERT-only keys
/// (<see cref="TypeVocabSize"/>, <see cref="LayerNormEps"/>) are written only when set.
/// </remarks>
public sealed record BackboneConfig
{
    public required BackboneArchitecture Architecture { get; init; }

    /// <summary><c>vocab_size</c>: rows of the token embedding (and of the LM head).</summary>
    public required int VocabSize { get; init; }

    /// <summary><c>hidden_size</c>: d, the width of every hidden state.</summary>
    public required int HiddenSize { get; init; }

    /// <summary><c>intermediate_size</c>: the SwiGLU MLP's inner width.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int NumLayers { get; init; }

    /// <summary><c>num_attention_heads</c>: query heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary><c>num_key_value_heads</c>: key/value heads (grouped-query attention); divides <see cref="NumHeads"/>.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary><c>rope_theta</c>: the rotary embedding's base (LLaMA 10,000; Qwen2 1,000,000).</summary>
    public double RopeTheta { get; init; } = 10_000;

    /// <summary><c>rms_norm_eps</c>.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary><c>tie_word_embeddings</c>: the LM head reuses the token embedding (no <c>lm_head.weight</c>).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary><c>max_position_embeddings</c>: the longest sequence the rotary tables cover.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>BERT: <c>type_vocab_size</c>, rows of the token-type embedding (2). Token type 0 is used for every text.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int TypeVocabSize { get; init; }

    /// <summary>BERT: <c>layer_norm_eps</c> of every LayerNorm (1e-12).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double LayerNormEps { get; init; }

    /// <summary>True for encoder backbones (bidirectional attention): BERT.</summary>
    [JsonIgnore]
    public bool IsEncoder => Architecture == BackboneArchitecture.Bert;

    /// <summary>Width of one attention head: <c>hidden_size / num_attention_heads</c>.</summary>
    [JsonIgnore]
    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>Qwen2 puts biases on q_proj, k_proj and v_proj; LLaMA has none anywhere.</summary>
    [JsonIgnore]
    public bool AttentionBias => Architecture == BackboneArchitecture.Qwen2;

    /// <summary>Every inconsistency in the shape, one message each (empty when the config is usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string key, long value)
        {
            if (value <= 0)
            {
                errors.Add($"{key} must be positive (is {value}).");
            }
        }

        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("intermediate_size", IntermediateSize);
        Positive("num_hidden_layers", NumLayers);
        Positive("num_attention_heads", NumHeads);
        Positive("num_key_value_heads", NumKeyValueHeads);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        if (NumHeads > 0 && HiddenSize % NumHeads != 0)
        {
            errors.Add($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumHeads}.");
        }
        else if (!IsEncoder && NumHeads > 0 && HeadDim % 2 != 0)
        {
            errors.Add($"the head width hidden_size / num_attention_heads = {HeadDim} must be even for rotary embeddings.");
        }

        if (NumKeyValueHeads > 0 && NumHeads % NumKeyValueHeads != 0)
        {
            errors.Add($"num_attention_heads {NumHeads} is not a multiple of num_key_value_heads {NumKeyValueHeads}.");
        }

        if (IsEncoder)
        {
            if (NumKeyValueHeads != NumHeads)
            {
                errors.Add($"num_key_value_heads {NumKeyValueHeads} must equal num_attention_heads {NumHeads} for bert (no grouped-query attention).");
            }

            Positive("type_vocab_size", TypeVocabSize);
            if (!(LayerNormEps > 0))
            {
                errors.Add($"layer_norm_eps must be positive (is {LayerNormEps}).");
            }
        }
        else if (TypeVocabSize != 0 || LayerNormEps != 0)
        {
            errors.Add("type_vocab_size and layer_norm_eps are bert keys; a decoder must leave them out.");
        }

        if (!(RopeTheta > 0))
        {
            errors.Add($"rope_theta must be positive (is {RopeTheta}).");
        }

        if (!(RmsNormEps > 0))
        {
            errors.Add($"rms_norm_eps must be positive (is {RmsNormEps}).");
        }

        return errors;
    }
}
