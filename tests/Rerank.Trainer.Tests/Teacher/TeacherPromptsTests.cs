using Rerank.Model.Runtime;
using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher;

public sealed class TeacherPromptsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void English_Fill_IsInstructionQueryPassageCueWithYesNo()
    {
        var asym = TeacherPrompts.English.For(StudentBranch.Asymmetric);
        var sym = TeacherPrompts.English.For(StudentBranch.Symmetric);

        Assert.Equal(
            "Read the question and the passage below and decide whether the passage answers the question.\nQuestion: Q?\nPassage: P.\nDoes the passage answer the question? Reply with yes or no.\n",
            asym.Fill("Q?", "P."));
        Assert.Equal(
            "Read the two sentences below and decide whether they express the same meaning.\nFirst sentence: A\nSecond sentence: B\nDo they mean the same thing? Reply with yes or no.\n",
            sym.Fill("A", "B"));
        Assert.Equal(("yes", "no"), (asym.Yes, asym.No));
        Assert.Equal(("yes", "no"), (sym.Yes, sym.No));
        Assert.Equal("\nDoes the passage answer the question? Reply with yes or no.\n", asym.AnswerCue);
    }

    [Fact]
    public void Chinese_AnswerWordsAreShiNotShiAndNengBuNeng()
    {
        var zh = TeacherPrompts.ForLanguage("zh");

        Assert.Equal(("是", "不是"), (zh.Symmetric.Yes, zh.Symmetric.No));
        Assert.Equal(("能", "不能"), (zh.Asymmetric.Yes, zh.Asymmetric.No));
        Assert.Equal("阅读下面的问题和文段，判断这段文字能否回答这个问题。\n问题：甲\n文段：乙\n这段文字能回答这个问题吗？请回答能或不能：", zh.Asymmetric.Fill("甲", "乙"));
        Assert.Empty(zh.Symmetric.Validate("symmetric"));
        Assert.Same(TeacherPrompts.English, TeacherPrompts.ForLanguage("en"));
    }

    [Fact]
    public void ForLanguage_Other_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => TeacherPrompts.ForLanguage("fr"));

        Assert.StartsWith("--prompt-language: 'fr' is not a shipped prompt language (en or zh).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidFile_ReadsBothBranches()
    {
        var path = _temp.WriteFile("prompts.json", """
            {"symmetric": {"template": "S: {query} | {passage} ->", "yes": "same", "no": "different"},
             "asymmetric": {"template": "Q: {query}\nD: {passage}\nRelevant:", "yes": " yes", "no": " no"}}
            """);

        var prompts = TeacherPrompts.Load(path);

        Assert.Equal(path, prompts.Name);
        Assert.Equal(("S: ", " | ", " ->"), (prompts.Symmetric.Instruction, prompts.Symmetric.Middle, prompts.Symmetric.AnswerCue));
        Assert.Equal(("Q: ", "\nD: ", "\nRelevant:"), (prompts.Asymmetric.Instruction, prompts.Asymmetric.Middle, prompts.Asymmetric.AnswerCue));
        Assert.Equal((" yes", " no"), (prompts.Asymmetric.Yes, prompts.Asymmetric.No));
    }

    [Theory]
    [InlineData("""{"symmetric": {"template": "{query} {passage}", "yes": "a", "no": "b"}}""", "'asymmetric' must be an object with template, yes and no")]
    [InlineData("""{"symmetric": {"template": "{query}", "yes": "a", "no": "b"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b"}}""", "symmetric.template must hold {query} and {passage} exactly once each (it holds 1 and 0)")]
    [InlineData("""{"symmetric": {"template": "{passage} {query}", "yes": "a", "no": "b"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b"}}""", "symmetric.template must put {query} before {passage}")]
    [InlineData("""{"symmetric": {"template": "{query}{passage}", "yes": 1, "no": "b"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b"}}""", "'symmetric.yes' must be a string")]
    [InlineData("""{"symmetric": {"template": "{query}{passage}", "yes": "a", "no": "a"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b", "x": 1}}""", "unknown field 'asymmetric.x'")]
    [InlineData("""{"symmetric": {"template": "{query}{passage}", "yes": "a", "no": "a"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b"}}""", "symmetric: yes and no are the same word 'a'")]
    public void Load_Malformed_NamesFileAndField(string json, string expected)
    {
        var path = _temp.WriteFile("prompts.json", json);

        var error = Assert.Throws<InvalidDataException>(() => TeacherPrompts.Load(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
