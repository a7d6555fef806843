using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher;

/// <summary><see cref="TeacherShard"/> slicing and <see cref="TeacherMerge"/> over hand-made shard sets.</summary>
public sealed class TeacherMergeTests : IDisposable
{
    private static readonly (string QueryId, string PassageId)[] Plan = [.. Enumerable.Range(0, 10).Select(i => ("q" + i, "p" + i))];
    private static readonly string PlanSha = new('b', 64);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("11/12", 11, 12)]
    public void Parse_Valid(string text, int index, int count) => Assert.Equal(new TeacherShard(index, count), TeacherShard.Parse(text));

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    public void Parse_Invalid_NamesOptionAndValue(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => TeacherShard.Parse(text));

        Assert.StartsWith($"--shard: '{text}' is not i/n with 0 <= i < n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_TenPairsInThree_IsThreeThreeFour()
    {
        // floor(10 i / 3): 0, 3, 6, 10.
        Assert.Equal((0, 3), new TeacherShard(0, 3).Slice(10));
        Assert.Equal((3, 3), new TeacherShard(1, 3).Slice(10));
        Assert.Equal((6, 4), new TeacherShard(2, 3).Slice(10));
        Assert.Equal((0, 0), new TeacherShard(0, 4).Slice(2)); // two pairs in four: floor(2 i / 4) = 0, 0, 1, 1, 2
        Assert.Equal((0, 1), new TeacherShard(1, 4).Slice(2));
    }

    [Fact]
    public void Merge_CompleteShards_JoinsEveryPairInPlanOrder()
    {
        for (var i = 0; i < 3; i++)
        {
            WriteShard(new TeacherShard(i, 3));
        }

        var (path, shards) = TeacherMerge.Merge(_temp.Path, Plan, PlanSha);

        Assert.Equal(3, shards);
        Assert.Equal(Path.Combine(_temp.Path, "scores.json"), path);
        using var store = TeacherStore.OpenMerged(_temp.Path);
        Assert.Null(store.Header.Shard);
        Assert.Equal(10, store.Header.Count);
        Assert.Equal(Plan, store.Entries.Select(e => (e.QueryId, e.PassageId)));
        for (var i = 0; i < Plan.Length; i++)
        {
            Assert.True(store.TryGet(Plan[i].QueryId, Plan[i].PassageId, out var found));
            Assert.Equal(TeacherStoreTests.Output(i).Logit, found.Logit);
            Assert.Equal(TeacherStoreTests.Output(i).Features!.Select(v => (float)(Half)v), found.Features!);
        }
    }

    [Fact]
    public void Merge_ShardMissing_IsAGapNamingPairsAndTheFile()
    {
        WriteShard(new TeacherShard(0, 3));
        WriteShard(new TeacherShard(2, 3));

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Equal($"gap: 3 plan pair(s) are in no shard of {_temp.Path}, e.g. (q3, p3), (q4, p4), (q5, p5); missing shard files: shard-1-of-3.json.", error.Message);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "scores.json")));
    }

    [Fact]
    public void Merge_PairInTwoShards_IsAnOverlapNamingBoth()
    {
        // Shard 0/2 holds q0..q4; a hand-made shard 1/2 starts one pair early, at q4.
        WriteShard(new TeacherShard(0, 2));
        WriteShard(new TeacherShard(1, 2), start: 4, length: 6);

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Equal($"overlap: the pair (q4, p4) is in both shard-0-of-2.json and shard-1-of-2.json ({_temp.Path}).", error.Message);
    }

    [Fact]
    public void Merge_ShardsWithDifferentHeaders_AreRefusedNamingFilesAndFields()
    {
        WriteShard(new TeacherShard(0, 2));
        WriteShard(new TeacherShard(1, 2), header: h => h with { TeacherSha256 = new string('c', 64) });

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Equal($"{Path.Combine(_temp.Path, "shard-1-of-2.json")} and {Path.Combine(_temp.Path, "shard-0-of-2.json")} were written with different settings (teacher_sha256 differ); every shard of a merge comes from one teacher, prompt, plan and n.", error.Message);
    }

    [Fact]
    public void Merge_ShardsOfDifferentN_AreRefused()
    {
        WriteShard(new TeacherShard(0, 2));
        WriteShard(new TeacherShard(1, 3));

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Contains("were written with different settings (shard.count differ)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_IncompleteShard_IsRefusedNamingIt()
    {
        WriteShard(new TeacherShard(0, 2));
        WriteShard(new TeacherShard(1, 2), length: 5, written: 2);

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Equal($"{Path.Combine(_temp.Path, "shard-1-of-2.bin")}: incomplete: 2 of 5 records; rerun the same teacher command to finish it.", error.Message);
    }

    [Fact]
    public void Merge_OtherPlan_IsRefused()
    {
        WriteShard(new TeacherShard(0, 1));

        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, new string('d', 64)));

        Assert.Contains("the shards were scored for another plan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NoShards_SaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => TeacherMerge.Merge(_temp.Path, Plan, PlanSha));

        Assert.Equal($"{_temp.Path}: no shard files (shard-I-of-N.json) to merge; run rerank-train teacher --shard i/n first.", error.Message);
    }

    private void WriteShard(TeacherShard shard, int? start = null, int? length = null, int? written = null, Func<TeacherStoreHeader, TeacherStoreHeader>? header = null)
    {
        var (sliceStart, sliceLength) = shard.Slice(Plan.Length);
        var first = start ?? sliceStart;
        var count = length ?? sliceLength;
        var keys = Plan.Skip(first).Take(count).ToList();
        var h = TeacherStoreTests.Header(count, shard: shard);
        using var writer = TeacherStoreWriter.Open(_temp.Path, shard.FileStem, header?.Invoke(h) ?? h, keys);
        writer.Append([.. keys.Take(written ?? count).Select((k, i) => (k.QueryId, k.PassageId, TeacherStoreTests.Output(first + i)))]);
    }
}
