using Rerank.Model.Checkpoints;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Checkpoints;

/// <summary>A BERT checkpoint's tokenizer files to a descriptor, as transformers' <c>BertTokenizer</c> reads them.</summary>
public sealed class BertTokenizerFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public BertTokenizerFilesTests() => _temp.WriteFile("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n<s>\n</s>\nhello\n");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Describe_NoTokenizerConfig_BertTokenizerDefaults()
    {
        var descriptor = BertTokenizerFiles.Describe(_temp.Path, config: null);

        Assert.Equal(
            (TokenizerKind.WordPiece, "vocab.txt", true, "[CLS]", "[SEP]", "[PAD]", "[UNK]", true, true),
            (descriptor.Kind, Assert.Single(descriptor.Files), descriptor.LowerCase, descriptor.BosToken, descriptor.EosToken, descriptor.PadToken, descriptor.UnkToken, descriptor.AddBos, descriptor.AddEos));
    }

    [Fact]
    public void Describe_TokensAsAddedTokenObjectsAndSpecialsMap_TakesTheirContent()
    {
        _temp.WriteFile("tokenizer_config.json", """{"do_lower_case": false, "cls_token": {"content": "<s>", "lstrip": false}, "add_eos_token": false}""");
        _temp.WriteFile("special_tokens_map.json", """{"sep_token": "</s>", "cls_token": "[CLS]"}""");

        var descriptor = BertTokenizerFiles.Describe(_temp.Path, config: null);
        var tokenizer = TextTokenizer.Load(_temp.Path, descriptor);

        // tokenizer_config.json wins over special_tokens_map.json; ids are line numbers of vocab.txt above.
        Assert.Equal((false, "<s>", "</s>", false), (descriptor.LowerCase, descriptor.BosToken, descriptor.EosToken, descriptor.AddEos));
        Assert.Equal([4, 6], tokenizer.Encode("hello", maxTokens: 8, maxChars: 0));
    }

    [Fact]
    public void Describe_UnsupportedSettings_RefusedByKey()
    {
        _temp.WriteFile("tokenizer_config.json", """{"do_lower_case": true, "strip_accents": false, "tokenize_chinese_chars": false}""");

        var exception = Assert.Throws<CheckpointException>(() => BertTokenizerFiles.Describe(_temp.Path, config: null));

        var path = Path.Combine(_temp.Path, "tokenizer_config.json");
        Assert.Equal(
            [
                $"{path}: strip_accents false with do_lower_case true is not supported (the serving tokenizer strips accents exactly when it lower-cases)",
                $"{path}: tokenize_chinese_chars false is not supported (the serving tokenizer makes each CJK ideograph a word)",
            ],
            exception.Problems);
    }

    [Fact]
    public void Describe_NoVocabulary_NamesTheFile()
    {
        File.Delete(Path.Combine(_temp.Path, "vocab.txt"));

        var exception = Assert.Throws<CheckpointException>(() => BertTokenizerFiles.Describe(_temp.Path, config: null));

        Assert.Equal($"{Path.Combine(_temp.Path, "vocab.txt")}: not found (a BERT checkpoint's WordPiece vocabulary)", Assert.Single(exception.Problems));
    }
}
