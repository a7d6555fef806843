using System.Text.Json.Serialization;

namespace Rerank.Model.Tokenization;

/// <summary>The Unicode normalization a byte-level BPE tokenizer applies before splitting (Hugging Face's <c>normalizer</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TextNormalization>))]
public enum TextNormalization
{
    /// <summary>None (GPT-2, LLaMA 3: <c>"normalizer": null</c>).</summary>
    None = 0,

    /// <summary>Normalization Form C (Qwen2: <c>{"type": "NFC"}</c>), by <see cref="NfcNormalizer"/>.</summary>
    Nfc = 1,
}
