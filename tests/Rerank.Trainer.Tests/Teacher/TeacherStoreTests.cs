using System.Text.Json.Nodes;
using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher;

public sealed class TeacherStoreTests : IDisposable
{
    private static readonly (string, string)[] Keys = [("q1", "a"), ("q1", "b"), ("q2", "a"), ("q\u00e9", "p/1")];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static TeacherStoreHeader Header(int count, int? featureDim = 3, string? featureDtype = "float16", TeacherShard? shard = null) => new()
    {
        Kind = "checkpoint",
        Teacher = "/models/tiny",
        TeacherSha256 = new string('a', 64),
        Dtype = "float32",
        Branch = "asym",
        Prompt = new JsonObject { ["source"] = "en", ["template"] = "{query} {passage}", ["yes"] = "yes", ["no"] = "no" },
        AnswerIds = (7, 8),
        Limits = new JsonObject { ["max_tokens"] = 512 },
        PlanSha256 = new string('b', 64),
        Shard = shard,
        FeatureDim = featureDim,
        FeatureDtype = featureDtype,
        Count = count,
    };

    internal static TeacherOutput Output(int i, int dim = 3) => new(0.1f + i, dim == 0 ? null : [.. Enumerable.Range(0, dim).Select(c => (i * 10) + c + 0.3f)]);

    [Fact]
    public void WriteThenOpen_Float16Features_RoundTripsLogitsExactlyAndFeaturesAsHalves()
    {
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
            writer.Append([.. Keys.Take(3).Select((k, i) => (k.Item1, k.Item2, Output(i)))]);
            writer.Append([(Keys[3].Item1, Keys[3].Item2, Output(3))]);
            Assert.True(writer.IsComplete);
        }

        using var store = TeacherStore.OpenMerged(_temp.Path);

        Assert.Equal(4, store.Count);
        Assert.Equal(3, store.FeatureDim);
        for (var i = 0; i < Keys.Length; i++)
        {
            Assert.True(store.TryGet(Keys[i].Item1, Keys[i].Item2, out var found));
            Assert.Equal(0.1f + i, found.Logit);

            // float16 keeps 11 significant bits: 20.3 is stored as 20.296875, 30.3 as 30.296875.
            Assert.Equal(Output(i).Features!.Select(v => (float)(Half)v), found.Features!);
        }

        Assert.True(store.TryGet("q2", "a", out var q2));
        Assert.Equal([20.296875f, 21.296875f, 22.296875f], q2.Features!);
        Assert.False(store.TryGet("q2", "b", out _));
    }

    [Fact]
    public void WriteThenOpen_Float32Features_AreExact()
    {
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4, featureDtype: "float32"), Keys))
        {
            writer.Append([.. Keys.Select((k, i) => (k.Item1, k.Item2, Output(i)))]);
        }

        using var store = TeacherStore.OpenMerged(_temp.Path);

        Assert.True(store.TryGet("q\u00e9", "p/1", out var found));
        Assert.Equal(Output(3).Features, found.Features);
    }

    [Fact]
    public void Header_IsTheDocumentedJson()
    {
        using (TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, "scores.json")))!.AsObject();

        Assert.Equal(
            ["format", "version", "kind", "teacher", "teacher_sha256", "dtype", "branch", "prompt", "answer_ids", "limits", "plan_sha256", "shard", "feature_dim", "feature_dtype", "count"],
            json.Select(p => p.Key));
        Assert.Equal("rerank-teacher-scores", (string?)json["format"]);
        Assert.Equal(1, (int?)json["version"]);
        Assert.Equal(7, (int?)json["answer_ids"]!["yes"]);
        Assert.Equal("float16", (string?)json["feature_dtype"]);
        Assert.Null(json["shard"]);
        Assert.Equal(4, (int?)json["count"]);
    }

    [Fact]
    public void Open_RecordsFileCutInsideTheLastChunk_ResumesAfterTheLastCompleteChunk()
    {
        var records = Path.Combine(_temp.Path, "scores.bin");
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
            writer.Append([(Keys[0].Item1, Keys[0].Item2, Output(0)), (Keys[1].Item1, Keys[1].Item2, Output(1))]);
        }

        var complete = new FileInfo(records).Length;
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
            Assert.Equal(2, writer.Done);
            writer.Append([(Keys[2].Item1, Keys[2].Item2, Output(2))]);
        }

        // A run killed while writing the second chunk: cut the file 5 bytes before its end.
        using (var stream = new FileStream(records, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }

        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
            Assert.Equal(2, writer.Done);
            Assert.Equal(complete, new FileInfo(records).Length);
            writer.Append([.. Keys.Skip(2).Select((k, i) => (k.Item1, k.Item2, Output(i + 2)))]);
        }

        using var store = TeacherStore.OpenMerged(_temp.Path);
        Assert.Equal(4, store.Count);
        Assert.True(store.TryGet("q2", "a", out var found));
        Assert.Equal(2.1f, found.Logit);
    }

    [Fact]
    public void Open_ExistingHeaderDiffers_IsRefusedNamingTheFields()
    {
        using (TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
        }

        var other = Header(4) with { Dtype = "bfloat16", AnswerIds = (7, 9) };
        var error = Assert.Throws<InvalidDataException>(() => TeacherStoreWriter.Open(_temp.Path, "scores", other, Keys));

        Assert.Equal($"{Path.Combine(_temp.Path, "scores.json")}: was written for other settings (dtype, answer_ids differ); delete scores.json and scores.bin to start over, or use another --out.", error.Message);
    }

    [Fact]
    public void Open_Incomplete_IsRefusedWithTheCounts()
    {
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys))
        {
            writer.Append([(Keys[0].Item1, Keys[0].Item2, Output(0))]);
        }

        var error = Assert.Throws<InvalidDataException>(() => TeacherStore.OpenMerged(_temp.Path));

        Assert.Equal($"{Path.Combine(_temp.Path, "scores.bin")}: incomplete: 1 of 4 records; rerun the same teacher command to finish it.", error.Message);
    }

    [Fact]
    public void OpenMerged_Missing_SaysWhichCommandWritesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TeacherStore.OpenMerged(_temp.Path));

        Assert.Contains("no merged teacher store; run rerank-train teacher", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_OutOfKeyOrder_IsRefused()
    {
        using var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4), Keys);

        var error = Assert.Throws<ArgumentException>(() => writer.Append([(Keys[1].Item1, Keys[1].Item2, Output(1)), (Keys[0].Item1, Keys[0].Item2, Output(0))]));

        Assert.Contains("(q1, a) does not come after (q1, b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenOpen_NoFeatures_HasNullFeatureDim()
    {
        using (var writer = TeacherStoreWriter.Open(_temp.Path, "scores", Header(4, featureDim: null, featureDtype: null), Keys))
        {
            writer.Append([.. Keys.Select((k, i) => (k.Item1, k.Item2, Output(i, dim: 0)))]);
        }

        using var store = TeacherStore.OpenMerged(_temp.Path);

        Assert.Null(store.FeatureDim);
        Assert.True(store.TryGet("q1", "b", out var found));
        Assert.Equal(new TeacherOutput(1.1f, null), found);
        // One chunk: 16 header bytes; records 4 + 2 + 4 + 1 + 4 = 15 bytes for (q1, a), (q1, b), (q2, a) and
        // 4 + 3 + 4 + 3 + 4 = 18 for (qé, p/1) (é is two UTF-8 bytes): 16 + 45 + 18 = 79.
        Assert.Equal(79, new FileInfo(Path.Combine(_temp.Path, "scores.bin")).Length);
    }
}
