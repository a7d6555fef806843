using Rerank.TestUtilities;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Tests.Teacher;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary><c>plan.json</c> edited by hand: what the planner never writes must be refused, naming the field.</summary>
public sealed class HostilePlanFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_QueryTwiceInOneBatch_IsRefusedNamingTheEntry()
    {
        // InfoNCE would take the query's own positive, in its second row, as an in-batch negative.
        var path = WrittenPlan();
        var text = File.ReadAllText(path).Replace(
            "{\"query_id\": \"q2\", \"positive\": \"p2\", \"hard_negatives\": [\"n2\"]}",
            "{\"query_id\": \"q1\", \"positive\": \"p1\", \"hard_negatives\": [\"n2\"]}",
            StringComparison.Ordinal);
        File.WriteAllText(path, text);

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, TeacherTestData.Corpus()));

        Assert.Equal($"{path}: field 'batches[0][1].query_id': 'q1' is already in this batch (batches[0][0]).", error.Message);
    }

    [Fact]
    public void Read_HeldOutQueryTwice_IsRefusedNamingTheEntry()
    {
        var path = WrittenPlan();
        var heldOut = "{\"query_id\": \"q4\", \"positive\": \"p4\", \"hard_negatives\": [\"n4\"]}";
        File.WriteAllText(path, File.ReadAllText(path).Replace(heldOut, heldOut + ",\n    " + heldOut, StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, TeacherTestData.Corpus()));

        Assert.Equal($"{path}: field 'heldout[1].query_id': 'q4' is already held out (heldout[0]).", error.Message);
    }

    [Fact]
    public void Read_GroupingsTimesBatchesOverflowingToZeroWithNoBatches_IsRefused()
    {
        // 65536 x 65536 = 2^32, which wraps to 0 in 32-bit arithmetic and would let an empty batch list through.
        var path = WrittenPlan();
        var text = File.ReadAllText(path)
            .Replace("\"groupings\": 1,", "\"groupings\": 65536,", StringComparison.Ordinal)
            .Replace("\"batches_per_grouping\": 2,", "\"batches_per_grouping\": 65536,", StringComparison.Ordinal);
        var start = text.IndexOf("\"batches\": [", StringComparison.Ordinal);
        var end = text.IndexOf("\"heldout\"", StringComparison.Ordinal);
        File.WriteAllText(path, text[..start] + "\"batches\": [],\n  " + text[end..]);

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, TeacherTestData.Corpus()));

        Assert.Equal($"{path}: field 'batches': 0 batches; groupings x batches_per_grouping = 4294967296.", error.Message);
    }

    [Fact]
    public void Read_TruncatedFile_IsRefusedNamingTheFile()
    {
        var path = WrittenPlan();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => PlanFile.Read(path, TeacherTestData.Corpus()));

        Assert.StartsWith($"{path}: invalid JSON: ", error.Message, StringComparison.Ordinal);
    }

    private string WrittenPlan()
    {
        var path = Path.Combine(_temp.Path, "plan.json");
        PlanFile.Write(path, TeacherTestData.Plan(), TeacherTestData.Corpus());
        return path;
    }
}
