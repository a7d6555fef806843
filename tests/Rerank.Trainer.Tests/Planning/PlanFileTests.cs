using System.Text.Json.Nodes;
using Rerank.TestUtilities;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Tests.Planning;

public sealed class PlanFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WriteThenRead_RoundTripsEveryField()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(20);
        var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 4, HardNegatives = 2, Seed = 9, Groupings = 2 });
        var path = Path.Combine(_temp.Path, "plan.json");

        PlanFile.Write(path, result.Plan, corpus, result.Statistics);
        var read = PlanFile.Read(path, corpus);

        var plan = result.Plan;
        Assert.Equal((plan.Branch, plan.BatchSize, plan.HardNegatives, plan.Seed, plan.BatchesPerGrouping), (read.Branch, read.BatchSize, read.HardNegatives, read.Seed, read.BatchesPerGrouping));
        Assert.Equal(Describe(plan.Batches.SelectMany(b => b.Queries)), Describe(read.Batches.SelectMany(b => b.Queries)));
        Assert.Equal(plan.Batches.Count, read.Batches.Count);
        Assert.Equal(Describe(plan.HeldOut), Describe(read.HeldOut));
        Assert.Equal(plan.Pairs(), read.Pairs());
    }

    [Fact]
    public void Write_Layout_OnePlannedQueryPerLineAndTheDocumentedFields()
    {
        var corpus = PlanningFixtures.Corpus([new("q0", ["p0"], []), new("q1", ["p1"], [])], [new("h", ["p0"], [])], new() { ["p0"] = "a", ["p1"] = "b", ["n"] = "c" });
        var negatives = new Dictionary<string, IReadOnlyList<string>> { ["q0"] = ["n"], ["q1"] = ["n"], ["h"] = ["n"] };
        var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 2, HardNegatives = 2 });
        var path = Path.Combine(_temp.Path, "plan.json");

        PlanFile.Write(path, result.Plan, corpus, result.Statistics);

        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("rerank-plan", (string?)json["format"]);
        Assert.Equal(1, (int?)json["version"]);
        Assert.Equal("asym", (string?)json["branch"]);
        Assert.Equal(1, (int?)json["groupings"]);
        Assert.Equal(0, (int?)json["statistics"]!["dropped_per_grouping"]![0]);
        Assert.Equal(3, (int?)json["statistics"]!["queries_with_repeated_negatives"]); // q0, q1 and h: one negative each, K = 2
        Assert.Equal("""{"query_id": "h", "positive": "p0", "hard_negatives": ["n", "n"]}""", File.ReadAllLines(path).Single(l => l.Contains("\"h\"", StringComparison.Ordinal)).Trim());
        Assert.DoesNotContain("/nowhere", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format", "\"something-else\"", "field 'format': 'something-else' is not 'rerank-plan'")]
    [InlineData("version", "2", "field 'version': 2; this rerank-train reads version 1.")]
    [InlineData("branch", "\"sym\"", "field 'branch': 'sym' does not match the data's branch 'asym'.")]
    [InlineData("batch_size", "3", "field 'batches[0]': must be an array of batch_size = 3 planned queries.")]
    [InlineData("hard_negatives", "1", "field 'batches[0][0].hard_negatives': 2 negatives; hard_negatives = 1.")]
    [InlineData("groupings", "2", "field 'batches': 5 batches; groupings x batches_per_grouping = 10.")]
    public void Read_ChangedHeaderField_IsRefusedNamingIt(string field, string value, string message)
    {
        var (path, corpus) = WritePlan();
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json[field] = JsonNode.Parse(value);
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, corpus));

        Assert.StartsWith($"{path}: {message}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query_id", "\"nope\"", "field 'batches[1][2].query_id': 'nope' is not a training query of the data.")]
    [InlineData("query_id", "\"h0\"", "field 'batches[1][2].query_id': 'h0' is not a training query of the data.")]
    [InlineData("positive", "\"p99\"", "field 'batches[1][2].positive': 'p99' is not a positive of query")]
    [InlineData("hard_negatives", "[\"n1\", \"zz\"]", "field 'batches[1][2].hard_negatives[1]': 'zz' is not a passage of the data.")]
    [InlineData("hard_negatives", "[\"n1\", 5]", "field 'batches[1][2].hard_negatives[1]': must be a string.")]
    public void Read_UnknownIds_AreRefusedNamingTheField(string field, string value, string message)
    {
        var (path, corpus) = WritePlan();
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["batches"]![1]![2]![field] = JsonNode.Parse(value);
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, corpus));

        Assert.StartsWith($"{path}: {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HardNegativeThatIsThePositive_IsRefused()
    {
        var (path, corpus) = WritePlan();
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var query = json["batches"]![0]![0]!;
        query["hard_negatives"]![0] = (string)query["positive"]!;
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, corpus));

        Assert.Contains("field 'batches[0][0].hard_negatives[0]': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("is a positive of query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PlanForOtherData_IsRefusedNamingTheFingerprint()
    {
        var (path, _) = WritePlan();
        var (other, _) = PlanningFixtures.Simple(21);

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, other));

        Assert.StartsWith($"{path}: field 'data.fingerprint': the plan was made for other data than /nowhere/hand-made", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotJsonOrMissing_IsAUserErrorNamingTheFile()
    {
        var (corpus, _) = PlanningFixtures.Simple(20);
        var broken = _temp.WriteFile("broken.json", "{\"format\": ");

        var invalid = Assert.Throws<InvalidDataException>(() => PlanFile.Read(broken, corpus));
        var missing = Assert.Throws<FileNotFoundException>(() => PlanFile.Read(Path.Combine(_temp.Path, "none.json"), corpus));

        Assert.StartsWith($"{broken}: invalid JSON: ", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("run rerank-train plan first", missing.Message, StringComparison.Ordinal);
    }

    private (string Path, TrainingCorpus Corpus) WritePlan()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(20);
        var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 4, HardNegatives = 2 });
        var path = Path.Combine(_temp.Path, "plan.json");
        PlanFile.Write(path, result.Plan, corpus, result.Statistics);
        return (path, corpus);
    }

    private static List<string> Describe(IEnumerable<PlannedQuery> queries) =>
        [.. queries.Select(q => $"{q.QueryId}|{q.Positive}|{string.Join(',', q.HardNegatives)}")];
}
