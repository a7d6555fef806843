using System.Text;
using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tests.Teacher;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary><c>teacher import</c> files written by hand or by another tool: every refusal names the file, line and field.</summary>
public sealed class HostileTeacherImportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Teacher => Path.Combine(_temp.Path, "run", "teacher");

    [Theory]
    [InlineData(".tsv")]
    [InlineData(".jsonl")]
    public void Import_InvalidUtf8FarIntoTheFile_NamesThatLine(string extension)
    {
        // 200 valid lines (well past a reader's first buffer), then a Latin-1 byte on line 202 (after the header / line 1).
        var lines = new List<byte[]>();
        string Line(int i) => extension == ".tsv"
            ? $"q{i}\tp{i}\t0.5\n"
            : $$"""{"query_id": "q{{i}}", "passage_id": "p{{i}}", "logit": 0.5}""" + "\n";
        if (extension == ".tsv")
        {
            lines.Add(Encoding.UTF8.GetBytes("query-id\tpassage-id\tyes_probability\n"));
        }

        lines.AddRange(Enumerable.Range(0, 200).Select(i => Encoding.UTF8.GetBytes(Line(i))));
        var badLine = lines.Count + 1;
        lines.Add([.. Encoding.UTF8.GetBytes(extension == ".tsv" ? "q" : "{\"query_id\": \"q"), 0xE9, .. Encoding.UTF8.GetBytes(extension == ".tsv" ? "\tp\t0.5\n" : "\", \"passage_id\": \"p\", \"logit\": 1}\n")]);
        lines.AddRange(Enumerable.Range(300, 5).Select(i => Encoding.UTF8.GetBytes(Line(i))));
        var file = Path.Combine(_temp.Path, "scores" + extension);
        File.WriteAllBytes(file, [.. lines.SelectMany(l => l)]);

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}:{badLine}: not valid UTF-8", error.Message);
    }

    [Theory]
    [InlineData("""{"query_id": "q1", "passage_id": "p1", "logit": 1, "logit": -1}""", "logit")]
    [InlineData("""{"query_id": "q1", "query_id": "q2", "passage_id": "p1", "logit": 1}""", "query_id")]
    public void Import_JsonFieldGivenTwiceOnALine_IsRefusedNamingIt(string line, string field)
    {
        var file = _temp.WriteFile("scores.jsonl", line + "\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}:1: field '{field}' is given twice", error.Message);
    }

    [Theory]
    [InlineData("\"yes_probability\": -0.1", "field 'yes_probability' must be a number from 0 to 1")]
    [InlineData("\"yes_probability\": 1.5", "field 'yes_probability' must be a number from 0 to 1")]
    [InlineData("\"yes_probability\": \"0.5\"", "field 'yes_probability' must be a number from 0 to 1")]
    [InlineData("\"logit\": \"NaN\"", "field 'logit' must be a finite number")]
    [InlineData("\"logit\": 1e39", "field 'logit' must be a finite number")]
    [InlineData("\"logit\": 1, \"features\": [1, \"x\"]", "field 'features' value 1 must be a finite number")]
    [InlineData("\"logit\": 1, \"features\": []", "field 'features' must be a non-empty array of numbers")]
    public void Import_JsonBadValue_IsRefusedNamingLineAndField(string fields, string expected)
    {
        var file = _temp.WriteFile("scores.jsonl", "\n{\"query_id\": \"q1\", \"passage_id\": \"p1\", " + fields + "}\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}:2: {expected}", error.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    [InlineData("high")]
    public void Import_TsvBadProbability_IsRefusedNamingLineAndField(string value)
    {
        var file = _temp.WriteFile("scores.tsv", "\uFEFFquery-id\tpassage-id\tyes_probability\r\nq1\tn1\t0.5\r\nq1\tn2\t" + value + "\r\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}:3: field 'yes_probability' is '{value}', not a number from 0 to 1", error.Message);
    }

    [Fact]
    public void Import_InconsistentFeatureWidths_IsRefusedNamingTheLine()
    {
        var file = _temp.WriteFile(
            "scores.jsonl",
            "{\"query_id\": \"q1\", \"passage_id\": \"n1\", \"logit\": 1, \"features\": [1, 2]}\n{\"query_id\": \"q1\", \"passage_id\": \"n2\", \"logit\": 1, \"features\": [1, 2, 3]}\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}:2: field 'features' has 3 values, but earlier lines have 2", error.Message);
    }

    [Theory]
    [InlineData("scores.jsonl", "")]
    [InlineData("scores.tsv", "")]
    public void Import_EmptyFile_IsRefused(string name, string content)
    {
        var file = _temp.WriteFile(name, content);

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.StartsWith(file, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Teacher, "scores.json")));
    }
}
