using System.Text.Json.Serialization;

namespace Rerank.Model.Tokenization;

/// <summary>The tokenizer families a model bundle can carry; written by name in manifest.json.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenizerKind>))]
public enum TokenizerKind
{
    /// <summary>BERT-style WordPiece over a vocab.txt (one token per line, the id is the line number).</summary>
    WordPiece = 0,

    /// <summary>GPT-2/Qwen-style byte-level BPE over vocab.json and merges.txt.</summary>
    Bpe = 1,

    /// <summary>LLaMA-style SentencePiece model (tokenizer.model, BPE or unigram).</summary>
    SentencePiece = 2,
}
