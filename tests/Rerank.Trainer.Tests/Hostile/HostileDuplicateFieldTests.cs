using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Pairs;
using Rerank.TestUtilities;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tests.Teacher;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary>
/// A JSON field given twice (a hand edit that pasted a line into another) is ambiguous: the readers refuse it naming
/// the file (and line), instead of silently keeping one value or failing without a name.
/// </summary>
public sealed class HostileDuplicateFieldTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SentencePairReader_LabelTwice_IsRefusedNamingFileAndLine()
    {
        var file = _temp.WriteFile("pairs.jsonl", "{\"id\": 1, \"text1\": \"a\", \"text2\": \"b\", \"label\": \"entailment\", \"label\": \"contradiction\"}\n");

        var error = Assert.Throws<BeirFormatException>(() => SentencePairReader.Read(file));

        Assert.StartsWith($"{file}:1: invalid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TeacherPrompts_TemplateTwice_IsRefusedNamingTheFile()
    {
        var path = _temp.WriteFile(
            "prompts.json",
            """{"symmetric": {"template": "{query}{passage}", "template": "{query} {passage}?", "yes": "a", "no": "b"}, "asymmetric": {"template": "{query}{passage}", "yes": "a", "no": "b"}}""");

        var error = Assert.Throws<InvalidDataException>(() => TeacherPrompts.Load(path));

        Assert.StartsWith($"{path}: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanFile_PositiveTwice_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(_temp.Path, "plan.json");
        PlanFile.Write(path, TeacherTestData.Plan(), TeacherTestData.Corpus());
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"positive\": \"p2\",", "\"positive\": \"p2\", \"positive\": \"p1\",", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, TeacherTestData.Corpus()));

        Assert.StartsWith($"{path}: invalid JSON: ", error.Message, StringComparison.Ordinal);
    }
}
