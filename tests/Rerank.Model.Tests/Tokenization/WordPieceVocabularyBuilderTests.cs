using System.Text;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class WordPieceVocabularyBuilderTests : IDisposable
{
    private static readonly string[] Corpus = ["The cat sat.", "The dog sat!", "A cat, the cat."];

    // Lower-cased words: the 3, cat 3, sat 2, dog 1, a 1, "." 2, "!" 1, "," 1.
    // Characters in ordinal order: ! , . a c d e g h o s t (12), each with its ## form: 5 + 24 = 29 tokens.
    // Then words of two or more characters by count, ties ordinal: cat (3) before the (3), sat (2), dog (1).
    private static readonly string[] Expected =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", // 0-4
        "!", "##!", ",", "##,", ".", "##.", "a", "##a", "c", "##c", // 5-14
        "d", "##d", "e", "##e", "g", "##g", "h", "##h", "o", "##o", // 15-24
        "s", "##s", "t", "##t", // 25-28
        "cat", "the", "sat", "dog", // 29-32
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Build_ThreeSentences_OrdersSpecialsCharactersThenWordsByCount()
    {
        Assert.Equal(Expected, WordPieceVocabularyBuilder.Build(Corpus, vocabularySize: 100));
    }

    [Fact]
    public void Build_SizeBelowWordCount_StopsAtTheSize()
    {
        Assert.Equal(Expected[..31], WordPieceVocabularyBuilder.Build(Corpus, vocabularySize: 31));
    }

    [Fact]
    public void Build_Cased_KeepsCapitalizedWordsApart()
    {
        var vocabulary = WordPieceVocabularyBuilder.Build(Corpus, vocabularySize: 100, lowerCase: false);

        // Characters now add A and T (ordinal before the lower-case letters): 5 + 2 * 14 = 33; then cat 3, The 2 and
        // sat 2 (tie: "T" 0x54 < "s" 0x73), dog 1 and the 1 ("d" < "t").
        Assert.Equal(["cat", "The", "sat", "dog", "the"], vocabulary.Skip(33));
        Assert.Equal(["!", "##!", ",", "##,", ".", "##.", "A", "##A", "T", "##T", "a"], vocabulary.Skip(5).Take(11));
    }

    [Fact]
    public void Build_ShuffledCorpus_GivesTheSameVocabulary()
    {
        var first = WordPieceVocabularyBuilder.Build(Corpus, 100);
        var second = WordPieceVocabularyBuilder.Build(Corpus.Reverse(), 100);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Build_TooSmall_ThrowsSayingHowManyAreNeeded()
    {
        var error = Assert.Throws<ArgumentException>(() => WordPieceVocabularyBuilder.Build(Corpus, vocabularySize: 28));

        Assert.Contains("at least 29 are needed", error.Message, StringComparison.Ordinal);
        Assert.Equal("vocabularySize", error.ParamName);
    }

    [Fact]
    public void Build_ExactlyTheNeededSize_HasNoWords()
    {
        Assert.Equal(Expected[..29], WordPieceVocabularyBuilder.Build(Corpus, vocabularySize: 29));
    }

    [Fact]
    public void Write_Vocabulary_OneTokenPerLineUtf8WithoutBom()
    {
        var path = Path.Combine(_temp.Path, "vocab.txt");

        WordPieceVocabularyBuilder.Write(["[PAD]", "café", "##é"], path);

        Assert.Equal(Encoding.UTF8.GetBytes("[PAD]\ncafé\n##é\n"), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("")]
    [InlineData("[PAD]")]
    public void Write_BadToken_Throws(string bad)
    {
        Assert.Throws<ArgumentException>(() => WordPieceVocabularyBuilder.Write(["[PAD]", bad], Path.Combine(_temp.Path, "vocab.txt")));
    }

    [Theory]
    [InlineData("The cat", new[] { 30, 29 })]
    [InlineData("the DOG sat.", new[] { 30, 32, 31, 9 })]
    [InlineData("cats", new[] { 29, 26 })] // longest prefix "cat", then "##s"
    [InlineData("chess", new[] { 13, 22, 18, 26, 26 })] // c ##h ##e ##s ##s: seen characters never give [UNK]
    [InlineData("zebra", new[] { 1 })] // "z" was never seen
    public void RoundTrip_BuiltVocabulary_LoadsAndEncodesCorpusWords(string text, int[] expected)
    {
        WordPieceVocabularyBuilder.Write(WordPieceVocabularyBuilder.Build(Corpus, 100), Path.Combine(_temp.Path, "vocab.txt"));
        var tokenizer = TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            PadToken = "[PAD]",
        });

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 32, maxChars: 0));
        Assert.Equal(33, tokenizer.VocabularySize);
    }
}
