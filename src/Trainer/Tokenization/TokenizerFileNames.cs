namespace Rerank.Trainer.Tokenization;

/// <summary>The tokenizer files of a Hugging Face model directory.</summary>
internal static class TokenizerFileNames
{
    /// <summary>The fast tokenizer's single file (model, normalizer, pre-tokenizer, added tokens).</summary>
    public const string TokenizerJson = "tokenizer.json";

    /// <summary>Byte-level BPE (GPT-2, Qwen2): token to id.</summary>
    public const string VocabJson = "vocab.json";

    /// <summary>Byte-level BPE merges, one pair a line after a <c>#version</c> line.</summary>
    public const string Merges = "merges.txt";

    /// <summary>A SentencePiece model (LLaMA 1/2, Mistral).</summary>
    public const string SentencePieceModel = "tokenizer.model";

    /// <summary>WordPiece (BERT): one token a line, id = line number.</summary>
    public const string VocabTxt = "vocab.txt";

    public const string TokenizerConfig = "tokenizer_config.json";

    public const string SpecialTokensMap = "special_tokens_map.json";
}
