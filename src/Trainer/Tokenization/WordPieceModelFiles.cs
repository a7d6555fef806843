using System.Text.Json.Nodes;
using Rerank.Model.Tokenization;
using Rerank.Model.Checkpoints;

namespace Rerank.Trainer.Tokenization;

/// <summary>
/// Writes a WordPiece vocabulary as a Hugging Face BERT tokenizer: <c>vocab.txt</c> (src/Model's
/// <see cref="WordPieceVocabularyBuilder.Write"/>), <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>,
/// which transformers' <c>AutoTokenizer</c> and <see cref="HfTokenizerLoader"/> both load.
/// </summary>
internal static class WordPieceModelFiles
{
    public const string PadToken = "[PAD]";
    public const string UnkToken = "[UNK]";
    public const string ClsToken = "[CLS]";
    public const string SepToken = "[SEP]";
    public const string MaskToken = "[MASK]";

    public static void Write(string directory, IReadOnlyList<string> vocabulary, int modelMaxLength)
    {
        WordPieceVocabularyBuilder.Write(vocabulary, Path.Combine(directory, TokenizerFileNames.VocabTxt));
        var specials = new JsonObject
        {
            ["cls_token"] = ClsToken,
            ["mask_token"] = MaskToken,
            ["pad_token"] = PadToken,
            ["sep_token"] = SepToken,
            ["unk_token"] = UnkToken,
        };
        HfModelConfig.WriteJson(Path.Combine(directory, TokenizerFileNames.SpecialTokensMap), specials);
        var config = new JsonObject
        {
            ["clean_up_tokenization_spaces"] = true,
            ["cls_token"] = ClsToken,
            ["do_basic_tokenize"] = true,
            ["do_lower_case"] = true,
            ["mask_token"] = MaskToken,
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = PadToken,
            ["sep_token"] = SepToken,
            ["strip_accents"] = null,
            ["tokenize_chinese_chars"] = true,
            ["tokenizer_class"] = "BertTokenizer",
            ["unk_token"] = UnkToken,
        };
        HfModelConfig.WriteJson(Path.Combine(directory, TokenizerFileNames.TokenizerConfig), config);
    }
}
