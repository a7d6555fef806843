using Rerank.Model.Checkpoints;
using Rerank.Model.Pretrained;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

/// <summary>
/// The WordPiece tokenizer with the real bert-base-uncased vocabulary (the MiniLM package's vocab.txt, CRLF line
/// ends) and a BERT checkpoint's tokenizer_config.json, against ids derived by hand: each token was looked up once with
/// <c>grep -nxF token vocab.txt</c> (id = line number - 1) after applying BERT's basic tokenizer by hand (lower-case,
/// accents stripped, punctuation and CJK ideographs split off, control characters dropped).
/// </summary>
public sealed class BertUncasedVocabularyTests : IDisposable
{
    private const int Cls = 101;
    private const int Sep = 102;
    private const int Unk = 100;

    private readonly TempDirectory _temp = new();
    private readonly TextTokenizer _tokenizer;

    public BertUncasedVocabularyTests()
    {
        var encoder = PretrainedEncoders.MiniLm;
        _temp.WriteBytes("vocab.txt", PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
        _temp.WriteFile("tokenizer_config.json", """{"do_lower_case": true, "strip_accents": null, "tokenizer_class": "BertTokenizer"}""");
        _tokenizer = TextTokenizer.Load(_temp.Path, BertTokenizerFiles.Describe(_temp.Path, config: null));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("Héllo Wörld, café naïve", new[] { 7592, 2088, 1010, 7668, 15743 })] // hello world , cafe naive
    [InlineData("He\u0301llo Wo\u0308rld, cafe\u0301 nai\u0308ve", new[] { 7592, 2088, 1010, 7668, 15743 })] // decomposed accents: the marks are dropped
    [InlineData("CAFÉ RÉSUMÉ ÜBER", new[] { 7668, 13746, 19169 })] // cafe resume uber
    [InlineData("Straße", new[] { 2358, 27807 })] // st ##raße: ß has no NFD decomposition, so it stays
    public void Encode_AccentedText_LowerCasedAndStripped(string text, int[] body) =>
        Assert.Equal([Cls, .. body, Sep], _tokenizer.Encode(text, maxTokens: 64, maxChars: 0));

    [Theory]
    [InlineData("中国人", new[] { 1746, 1799, 1756 })] // 中 国 人
    [InlineData("東京 Tokyo", new[] { 1879, 1755, 5522 })] // 東 京 tokyo
    [InlineData("hello中国world", new[] { 7592, 1746, 1799, 2088 })] // hello 中 国 world: ideographs split words
    [InlineData("日本語", new[] { 1864, 1876, 1950 })] // 日 本 語
    public void Encode_Cjk_EachIdeographItsOwnToken(string text, int[] body) =>
        Assert.Equal([Cls, .. body, Sep], _tokenizer.Encode(text, maxTokens: 64, maxChars: 0));

    [Theory]
    [InlineData("don't", new[] { 2123, 1005, 1056 })] // don ' t
    [InlineData("U.S.A.", new[] { 1057, 1012, 1055, 1012, 1037, 1012 })] // u . s . a .
    [InlineData("e-mail", new[] { 1041, 1011, 5653 })] // e - mail
    [InlineData("$3.50", new[] { 1002, 1017, 1012, 2753 })] // $ 3 . 50
    [InlineData("hello!", new[] { 7592, 999 })] // hello !
    public void Encode_Punctuation_SplitOff(string text, int[] body) =>
        Assert.Equal([Cls, .. body, Sep], _tokenizer.Encode(text, maxTokens: 64, maxChars: 0));

    [Fact]
    public void Encode_WordOfHundredCharacters_SplitIntoPieces()
    {
        // BERT's max_input_chars_per_word is 100: a word of exactly 100 characters is still split. Longest match
        // first: "xx" (22038), then "##xx" (20348) 49 times; "xxx" and "##xxx" are not in the vocabulary.
        var ids = _tokenizer.Encode(new string('x', 100), maxTokens: 64, maxChars: 0);

        Assert.Equal([Cls, 22038, .. Enumerable.Repeat(20348, 49), Sep], ids);
    }

    [Fact]
    public void Encode_WordLongerThanHundredCharacters_IsUnknown()
    {
        var ids = _tokenizer.Encode("hello " + new string('x', 101) + " world", maxTokens: 64, maxChars: 0);

        Assert.Equal([Cls, 7592, Unk, 2088, Sep], ids);
    }

    [Theory]
    [InlineData("hel\u00ADlo", new[] { 7592 })] // soft hyphen (Cf) dropped: the word joins up
    [InlineData("\u0001hello\u0007 world\u200B", new[] { 7592, 2088 })] // Cc and the zero-width space (Cf) dropped
    [InlineData("hello\u0000world", new[] { 7592, 11108 })] // NUL dropped: "helloworld" is hello ##world
    [InlineData("hello\tworld\r\nfox", new[] { 7592, 2088, 4419 })] // tab, CR and LF are white space, not dropped
    [InlineData("hello\uE000 world", new[] { 7592, 2088 })] // a private-use character (Co) is a control to BERT
    public void Encode_ControlCharacters_Removed(string text, int[] body) =>
        Assert.Equal([Cls, .. body, Sep], _tokenizer.Encode(text, maxTokens: 64, maxChars: 0));

    [Fact]
    public void Encode_Template_ClsTextSep()
    {
        Assert.Equal([Cls, 7592, 2088, Sep], _tokenizer.Encode("Hello world", maxTokens: 64, maxChars: 0));
        Assert.Equal([Cls, Sep], _tokenizer.Encode("", maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Encode_Truncated_KeepsSep()
    {
        // the quick brown fox jumps over the lazy dog, cut to 5 tokens: [CLS], three words, [SEP].
        var ids = _tokenizer.Encode("The quick brown fox jumps over the lazy dog", maxTokens: 5, maxChars: 0);

        Assert.Equal([Cls, 1996, 4248, 2829, Sep], ids);
    }

    [Fact]
    public void Describe_BertConfig_ClsSepPadUnkLowerCase()
    {
        var descriptor = BertTokenizerFiles.Describe(_temp.Path, config: null);

        Assert.Equal(
            (TokenizerKind.WordPiece, true, "[CLS]", "[SEP]", "[PAD]", "[UNK]", true, true),
            (descriptor.Kind, descriptor.LowerCase, descriptor.BosToken, descriptor.EosToken, descriptor.PadToken, descriptor.UnkToken, descriptor.AddBos, descriptor.AddEos));
        Assert.Equal((Cls, Sep, 0, Unk), (_tokenizer.BosId, _tokenizer.EosId, _tokenizer.PadId, _tokenizer.UnkId));
        Assert.Equal(30_522, _tokenizer.VocabularySize);
    }
}
