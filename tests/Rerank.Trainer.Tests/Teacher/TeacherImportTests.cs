using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher;

public sealed class TeacherImportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Teacher => Path.Combine(_temp.Path, "run", "teacher");

    [Fact]
    public void Import_JsonLines_StoresLogitsAndProbabilitiesAsLogitsWithFeatures()
    {
        var lines = TeacherTestData.Pairs.Select((p, i) => i switch
        {
            0 => $$"""{"query_id": "{{p.Item1}}", "passage_id": "{{p.Item2}}", "yes_probability": 0.75, "features": [1, 2]}""",
            1 => $$"""{"query_id": "{{p.Item1}}", "passage_id": "{{p.Item2}}", "yes_probability": 1, "features": [3, 4]}""",
            2 => $$"""{"query_id": "{{p.Item1}}", "passage_id": "{{p.Item2}}", "yes_probability": 0, "features": [5, 6]}""",
            _ => $$"""{"query_id": "{{p.Item1}}", "passage_id": "{{p.Item2}}", "logit": {{i}}.5, "features": [{{i}}, 0.1]}""",
        }).Append("""{"query_id": "q9", "passage_id": "p9", "logit": 1, "features": [0, 0]}""").Append("");
        var file = _temp.WriteFile("scores.jsonl", string.Join("\n", lines));

        var (path, imported, ignored) = TeacherImport.Import(file, Teacher, TeacherTestData.Plan());

        Assert.Equal((13, 1), (imported, ignored));
        using var store = TeacherStore.Open(path);
        Assert.Equal(2, store.FeatureDim);
        Assert.Equal("import", store.Header.Kind);
        Assert.Equal(file, store.Header.Teacher);
        Assert.Null(store.Header.AnswerIds);
        Assert.True(store.TryGet("q1", "n1", out var first));
        Assert.Equal((float)Math.Log(3), first.Logit); // ln(0.75 / 0.25)
        Assert.Equal([1f, 2f], first.Features!);
        Assert.True(store.TryGet("q1", "n2", out var one));
        Assert.Equal(13.815509f, one.Logit, 1e-4f); // p clamped to 1 - 1e-6: ln((1 - 1e-6) / 1e-6)
        Assert.True(store.TryGet("q1", "p1", out var zero));
        Assert.Equal(-13.815509f, zero.Logit, 1e-4f);
        Assert.True(store.TryGet("q4", "p4", out var last));
        Assert.Equal(12.5f, last.Logit);
        Assert.Equal([12f, 0.1f], last.Features!);
        Assert.False(store.TryGet("q9", "p9", out _));
    }

    [Fact]
    public void Import_Tsv_StoresProbabilitiesWithoutFeatures()
    {
        var rows = TeacherTestData.Pairs.Select((p, i) => $"{p.Item1}\t{p.Item2}\t{(i == 0 ? "0.5" : "0.2")}");
        var file = _temp.WriteFile("scores.tsv", "query-id\tpassage-id\tyes_probability\n" + string.Join("\n", rows) + "\n");

        var (path, imported, ignored) = TeacherImport.Import(file, Teacher, TeacherTestData.Plan());

        Assert.Equal((13, 0), (imported, ignored));
        using var store = TeacherStore.Open(path);
        Assert.Null(store.FeatureDim);
        Assert.True(store.TryGet("q1", "n1", out var half));
        Assert.Equal(new TeacherOutput(0f, null), half);
        Assert.True(store.TryGet("q2", "p2", out var low));
        Assert.Equal((float)Math.Log(0.25), low.Logit); // ln(0.2 / 0.8)
    }

    [Theory]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": "high"}""", "2: field 'logit' must be a finite number")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "yes_probability": 1.5}""", "2: field 'yes_probability' must be a number from 0 to 1")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1"}""", "2: field 'logit' is missing (give logit or yes_probability)")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": 1, "yes_probability": 0.5}""", "2: field 'yes_probability' is given with logit; give one of them")]
    [InlineData("""{"passage_id": "n1", "logit": 1}""", "2: field 'query_id' is missing")]
    [InlineData("""{"query_id": 5, "passage_id": "n1", "logit": 1}""", "2: field 'query_id' must be a non-empty string")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": 1, "score": 2}""", "2: field 'score' is not a field of the import format")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": 1, "features": [1, "x"]}""", "2: field 'features' value 1 must be a finite number")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": 1, "features": [1, 2, 3]}""", "2: field 'features' has 3 values, but earlier lines have 2")]
    [InlineData("""{"query_id": "q1", "passage_id": "n1", "logit": 1}""", "2: field 'features' is missing, but earlier lines have 2")]
    [InlineData("""{"query_id": "q0", "passage_id": "x", "logit": 1, "features": [1, 2]}""", "2: the pair (q0, x) was already given on line 1")]
    [InlineData("""{"query_id": "q1", """, "2: not valid JSON")]
    [InlineData("""[1, 2]""", "2: not a JSON object")]
    public void Import_MalformedJsonLine_NamesFileLineAndField(string secondLine, string expected)
    {
        var file = _temp.WriteFile("scores.jsonl", """{"query_id": "q0", "passage_id": "x", "logit": 1, "features": [1, 2]}""" + "\n" + secondLine + "\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.StartsWith($"{file}:{expected}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Teacher) && Directory.EnumerateFiles(Teacher).Any());
    }

    [Theory]
    [InlineData("query-id\tpassage-id\tscore\n", "1: the header must be query-id, passage-id and logit or yes_probability, tab-separated")]
    [InlineData("query-id\tpassage-id\tlogit\nq1\tn1\n", "2: 2 fields where the header has 3 (query-id, passage-id, logit)")]
    [InlineData("query-id\tpassage-id\tlogit\nq1\tn1\tnan\n", "2: field 'logit' is 'nan', not a finite number")]
    [InlineData("query-id\tpassage-id\tyes_probability\nq1\tn1\t-0.1\n", "2: field 'yes_probability' is '-0.1', not a number from 0 to 1")]
    [InlineData("query-id\tpassage-id\tlogit\nq1\t\t1\n", "2: field 'passage-id' is empty")]
    [InlineData("query-id\tpassage-id\tlogit\nq1\tn1\t1\nq1\tn1\t2\n", "3: the pair (q1, n1) was already given on line 2")]
    public void Import_MalformedTsvLine_NamesFileLineAndField(string content, string expected)
    {
        var file = _temp.WriteFile("scores.tsv", content);

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.StartsWith($"{file}:{expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_PlanPairsMissing_IsRefusedListingAFew()
    {
        var rows = TeacherTestData.Pairs.Skip(7).Select(p => $"{p.Item1}\t{p.Item2}\t1");
        var file = _temp.WriteFile("scores.tsv", "query-id\tpassage-id\tlogit\n" + string.Join("\n", rows));

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}: 7 of the plan's 13 pairs are missing, e.g. (q1, n1), (q1, n2), (q1, p1), (q1, p2), (q1, p3).", error.Message);
    }

    [Fact]
    public void Import_UnknownExtension_IsRefused()
    {
        var file = _temp.WriteFile("scores.csv", "a,b,c");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Import(file, Teacher, TeacherTestData.Plan()));

        Assert.Equal($"{file}: unknown format; name the file .jsonl or .tsv (docs/training.md, \"Teacher\").", error.Message);
    }

    [Fact]
    public void ProbabilityToLogit_IsTheLogOddsWithinTheClamp()
    {
        Assert.Equal(0f, TeacherImport.ProbabilityToLogit(0.5));
        Assert.Equal((float)Math.Log(9), TeacherImport.ProbabilityToLogit(0.9), 1e-6f);
        Assert.Equal((float)Math.Log(999_999), TeacherImport.ProbabilityToLogit(1), 1e-4f);
        Assert.Equal((float)-Math.Log(999_999), TeacherImport.ProbabilityToLogit(0), 1e-4f);
    }
}
