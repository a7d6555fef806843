using System.Text.Json.Nodes;
using Rerank.Model.Runtime;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Tests.Teacher;

public sealed class TeacherPromptEncoderTests : IDisposable
{
    // A prompt file over the vocabulary of "ask yes no" (src/Model's WordPieceVocabularyBuilder, worked out by hand):
    // specials [PAD] 0 [UNK] 1 [CLS] 2 [SEP] 3 [MASK] 4; characters a 5 ##a 6 e 7 ##e 8 k 9 ##k 10 n 11 ##n 12 o 13 ##o 14
    // s 15 ##s 16 y 17 ##y 18; words ask 19, no 20, yes 21. So "ask " = [19], " no " = [20], " yes" = [21],
    // "sky" = s ##k ##y = [15, 10, 18], "yes yes" = [21, 21], and [CLS] is the BOS the tokenizer adds.
    private const string Prompts = """
        {"symmetric": {"template": "ask {query} no {passage} yes", "yes": "yes", "no": "no"},
         "asymmetric": {"template": "ask {query} no {passage} yes", "yes": "yes", "no": "no"}}
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Model => Path.Combine(_temp.Path, "model");

    [Fact]
    public void Encode_HandWorkedVocabulary_IsBosThenPiecesAndTexts()
    {
        var encoder = HandWorked(new TeacherPromptLimits());

        Assert.Equal([2, 19, 15, 10, 18, 20, 21, 21, 21], encoder.Encode(StudentBranch.Asymmetric, "sky", "yes yes"));
        Assert.Equal((21, 20), encoder.AnswerIds(StudentBranch.Asymmetric));
        Assert.Equal(2, encoder.Bos);
        Assert.Equal(0, encoder.PadId);
    }

    [Fact]
    public void Encode_TextsOverTheCharacterLimit_AreCutBeforeTokenising()
    {
        var encoder = HandWorked(new TeacherPromptLimits { QueryChars = 2, PassageChars = 3 });

        // "sky" -> "sk" = [15, 10]; "yes yes" -> "yes" = [21].
        Assert.Equal([2, 19, 15, 10, 20, 21, 21], encoder.Encode(StudentBranch.Asymmetric, "sky", "yes yes"));
    }

    [Fact]
    public void Encode_SymmetricBranch_UsesTheSymmetricCharacterLimitForBothTexts()
    {
        var encoder = HandWorked(new TeacherPromptLimits { QueryChars = 1, PassageChars = 1, SymmetricChars = 2 });

        // "sky" -> "sk"; "yes yes" -> "ye" = y ##e = [17, 8].
        Assert.Equal([2, 19, 15, 10, 20, 17, 8, 21], encoder.Encode(StudentBranch.Symmetric, "sky", "yes yes"));
    }

    [Fact]
    public void Encode_PromptOverMaxTokens_CutsTextTokensNeverTheInstructionOrCue()
    {
        // 7 tokens: BOS, "ask", " no ", " yes" leave 3 for the texts (3 + 2 wanted). The passage keeps
        // max(3 - 3, 3 / 2) = 1 token, the query the other 2.
        var encoder = HandWorked(new TeacherPromptLimits { MaxTokens = 7 });

        var ids = encoder.Encode(StudentBranch.Asymmetric, "sky", "yes yes");

        Assert.Equal([2, 19, 15, 10, 20, 21, 21], ids);
        Assert.Equal(7, encoder.MaxTokens);
    }

    [Fact]
    public void Encode_ShortQueryLongPassage_GivesThePassageTheRestOfTheRoom()
    {
        // Room 4: query 1 token ("a"), passage 5 ("yes yes yes yes yes"): passage keeps max(4 - 1, 2) = 3.
        var encoder = HandWorked(new TeacherPromptLimits { MaxTokens = 8 });

        Assert.Equal([2, 19, 5, 20, 21, 21, 21, 21], encoder.Encode(StudentBranch.Asymmetric, "a", "yes yes yes yes yes"));
    }

    [Fact]
    public void Create_TemplateLeavesNoRoom_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => HandWorked(new TeacherPromptLimits { MaxTokens = 5 }));

        Assert.StartsWith("The symmetric prompt's template takes 4 tokens, which leaves no room for the texts within --max-tokens 5.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MaxTokensAboveMaxPositions_IsRefused()
    {
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama with { VocabularyTexts = ["ask yes no"] });
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));

        var error = Assert.Throws<ArgumentException>(() => new TeacherPromptEncoder(tokenizer, TeacherPrompts.Load(_temp.WriteFile("p.json", Prompts)), new TeacherPromptLimits { MaxTokens = 300 }, 256, config.Decoder.VocabSize));

        Assert.Contains("--max-tokens 300 exceeds the teacher's max_position_embeddings 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_YesAndNoShareTheFirstToken_IsRefusedNamingWordsAndId()
    {
        // "yesno" = yes ##n ##o = [21, 12, 14]: it starts with yes's id 21.
        var file = _temp.WriteFile("same.json", Prompts.Replace("\"no\": \"no\"}", "\"no\": \"yesno\"}", StringComparison.Ordinal));

        var error = Assert.Throws<ArgumentException>(() => HandWorked(new TeacherPromptLimits(), file));

        Assert.StartsWith("The symmetric prompt's answer words 'yes' and 'yesno' both start with token id 21 under the teacher's tokenizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TokenizerWithoutBos_PutsNoBosFirst()
    {
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama with { VocabularyTexts = ["ask yes no"] });
        var configPath = Path.Combine(Model, "tokenizer_config.json");
        var tokenizerConfig = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        tokenizerConfig["add_bos_token"] = false;
        File.WriteAllText(configPath, tokenizerConfig.ToJsonString());
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));

        var encoder = new TeacherPromptEncoder(tokenizer, TeacherPrompts.Load(_temp.WriteFile("p.json", Prompts)), new TeacherPromptLimits(), 256, config.Decoder.VocabSize);

        Assert.Null(encoder.Bos);
        Assert.Equal([19, 15, 10, 18, 20, 21, 21, 21], encoder.Encode(StudentBranch.Asymmetric, "sky", "yes yes"));
    }

    [Fact]
    public void Encode_EnglishPrompt_EqualsTheHandWrittenPiecesTokenisedByTheTokenizer()
    {
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama);
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));
        var encoder = new TeacherPromptEncoder(tokenizer, TeacherPrompts.English, new TeacherPromptLimits(), 256, config.Decoder.VocabSize);
        int[] Tokens(string text) => tokenizer.Tokenizer.Encode(text, 10_000, 0)[1..^1]; // without [CLS] and [SEP]
        var query = "what do cats eat, and what do they drink when the weather is very hot?"; // 71 characters: 50 kept
        var passage = "Cats eat fish and meat.";

        var ids = encoder.Encode(StudentBranch.Asymmetric, query, passage);

        int[] expected =
        [
            2,
            .. Tokens("Read the question and the passage below and decide whether the passage answers the question.\nQuestion: "),
            .. Tokens("what do cats eat, and what do they drink when the "),
            .. Tokens("\nPassage: "),
            .. Tokens("Cats eat fish and meat."),
            .. Tokens("\nDoes the passage answer the question? Reply with yes or no.\n"),
        ];
        Assert.Equal(expected, ids);
        Assert.Equal((Tokens("yes")[0], Tokens("no")[0]), encoder.AnswerIds(StudentBranch.Asymmetric));
        Assert.NotEqual(1, Tokens("yes")[0]); // a whole word of this vocabulary, not [UNK]
        Assert.Equal(256, encoder.MaxTokens); // min(512, max_position_embeddings 256)
    }

    [Fact]
    public void AnswerIds_Chinese_AreTheFirstCharactersIds()
    {
        // Vocabulary of "是 不是 能 不能": each CJK character is its own word, so characters only: 不 5, ##不 6, 是 7,
        // ##是 8, 能 9, ##能 10 (ordinal order U+4E0D, U+662F, U+80FD). 不是 and 不能 both start with 不 = 5.
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama with { VocabularyTexts = ["是 不是 能 不能"] });
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));

        var encoder = new TeacherPromptEncoder(tokenizer, TeacherPrompts.Chinese, new TeacherPromptLimits(), 256, config.Decoder.VocabSize);

        Assert.Equal((7, 5), encoder.AnswerIds(StudentBranch.Symmetric));
        Assert.Equal((9, 5), encoder.AnswerIds(StudentBranch.Asymmetric));
    }

    [Fact]
    public void Create_ChineseWordsUnknownToTheTokenizer_AreRefusedAsSharingTheUnknownId()
    {
        // The character vocabulary of printable ASCII has no 是 or 不: both words start with [UNK] (1).
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama with { VocabularyTexts = null });
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));

        var error = Assert.Throws<ArgumentException>(() => new TeacherPromptEncoder(tokenizer, TeacherPrompts.Chinese, new TeacherPromptLimits(), 256, config.Decoder.VocabSize));

        Assert.StartsWith("The symmetric prompt's answer words '是' and '不是' both start with token id 1", error.Message, StringComparison.Ordinal);
    }

    private TeacherPromptEncoder HandWorked(TeacherPromptLimits limits, string? promptFile = null)
    {
        var config = RandomCheckpoint.Write(Model, TeacherTestData.Llama with { VocabularyTexts = ["ask yes no"] });
        Assert.Equal(22, config.Decoder.VocabSize);
        var tokenizer = HfTokenizerLoader.Load(Model, config, Path.Combine(_temp.Path, "staging"));
        return new TeacherPromptEncoder(tokenizer, TeacherPrompts.Load(promptFile ?? _temp.WriteFile("p.json", Prompts)), limits, 256, config.Decoder.VocabSize);
    }
}
