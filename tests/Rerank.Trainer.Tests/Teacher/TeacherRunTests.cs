using Rerank.Model.Runtime;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Teacher;

/// <summary>The <c>teacher</c> stage end to end on a tiny LLaMA teacher: whole, sharded then merged, and resumed.</summary>
public sealed class TeacherRunTests : IDisposable
{
    private const double Tolerance = 1e-4;

    private readonly TempDirectory _temp = new();

    public TeacherRunTests()
    {
        RandomCheckpoint.Write(Checkpoint, TeacherTestData.Llama);
    }

    public void Dispose() => _temp.Dispose();

    private string Checkpoint => Path.Combine(_temp.Path, "teacher-model");

    private string Out => Path.Combine(_temp.Path, "run", "teacher");

    [Fact]
    public void Run_WholePlan_StoresEveryPairAsTheTeacherScoresItAlone()
    {
        var (path, count, resumed) = TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings(), TextWriter.Null, TextWriter.Null, terminal: false);

        Assert.Equal((Path.Combine(Out, "scores.json"), 13, 0), (path, count, resumed));
        using var store = TeacherStore.OpenMerged(Out);
        Assert.Equal(TeacherTestData.Pairs, store.Entries.Select(e => (e.QueryId, e.PassageId)));
        Assert.Equal(32, store.FeatureDim);
        Assert.Equal("asym", store.Header.Branch);
        Assert.Equal(TeacherHashes.PlanPairs(TeacherTestData.Pairs), store.Header.PlanSha256);

        // Independent values: the prompt built by hand from the English template, one unpadded forward, full-vocabulary logits.
        using var checkpoint = HfCheckpoint.Open(Checkpoint);
        var tokenizer = HfTokenizerLoader.Load(Checkpoint, checkpoint.Config, Path.Combine(_temp.Path, "staging"));
        int[] Tokens(string text) => tokenizer.Tokenizer.Encode(text, 10_000, 0)[1..^1];
        var (yes, no) = (Tokens("yes")[0], Tokens("no")[0]);
        Assert.Equal((yes, no), store.Header.AnswerIds);
        using var model = DecoderModel.Load(Checkpoint);
        model.eval();
        using var noGrad = no_grad();
        var corpus = TeacherTestData.Corpus();
        foreach (var (queryId, passageId) in TeacherTestData.Pairs)
        {
            var passage = corpus.Passages[passageId];
            int[] prompt =
            [
                2,
                .. Tokens("Read the question and the passage below and decide whether the passage answers the question.\nQuestion: "),
                .. Tokens(corpus.Queries[queryId]),
                .. Tokens("\nPassage: "),
                .. Tokens(passage),
                .. Tokens("\nDoes the passage answer the question? Reply with yes or no.\n"),
            ];
            using var ids = tensor(prompt.Select(t => (long)t).ToArray(), [1, prompt.Length]);
            using var hidden = model.call(ids, ones_like(ids));
            using var logits = model.Logits(hidden);
            var last = logits[0, prompt.Length - 1].data<float>().ToArray();

            Assert.True(store.TryGet(queryId, passageId, out var found));
            Assert.True(Math.Abs(found.Logit - (last[yes] - last[no])) <= Tolerance, $"({queryId}, {passageId}): {found.Logit} vs {last[yes] - last[no]}");
            var y = hidden[0, prompt.Length - 1].data<float>().ToArray();
            Assert.True(found.Features!.Zip(y, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b))).Max() <= 1e-3, "features differ beyond float16 rounding");
        }
    }

    [Fact]
    public void Run_ThreeShardsThenMerge_EqualsTheWholeRun()
    {
        var whole = Path.Combine(_temp.Path, "whole");
        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings() with { TeacherDirectory = whole }, TextWriter.Null, TextWriter.Null, false);
        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (path, count, _) = TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings() with { Shard = new TeacherShard(i, 3) }, TextWriter.Null, TextWriter.Null, false);
            Assert.Equal(Path.Combine(Out, $"shard-{i}-of-3.json"), path);
            counts.Add(count);
        }

        TeacherMerge.Merge(Out, TeacherTestData.Pairs, TeacherHashes.PlanPairs(TeacherTestData.Pairs));

        Assert.Equal([4, 4, 5], counts); // floor(13 i / 3) = 0, 4, 8, 13
        using var merged = TeacherStore.OpenMerged(Out);
        using var reference = TeacherStore.OpenMerged(whole);
        Assert.Empty(merged.Header.Differences(reference.Header));
        foreach (var (queryId, passageId) in TeacherTestData.Pairs)
        {
            Assert.True(merged.TryGet(queryId, passageId, out var a));
            Assert.True(reference.TryGet(queryId, passageId, out var b));
            Assert.True(Math.Abs(a.Logit - b.Logit) <= Tolerance, $"{a.Logit} vs {b.Logit}");
        }
    }

    [Fact]
    public void Run_KilledMidway_ResumesAfterTheLastCompleteChunkWithTheSameResult()
    {
        var settings = Settings() with { ChunkRecords = 4, FeatureDtype = null };
        var reference = Path.Combine(_temp.Path, "reference");
        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), settings with { TeacherDirectory = reference }, TextWriter.Null, TextWriter.Null, false);
        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), settings, TextWriter.Null, TextWriter.Null, false);

        // Keep the first two chunks (8 records) and half of the third, as a run killed while writing it would.
        var records = Path.Combine(Out, "scores.bin");
        using (var stream = new FileStream(records, FileMode.Open))
        {
            stream.SetLength(ChunkEnd(records, 2) + 10);
        }

        var log = new StringWriter();
        var (_, count, resumed) = TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), settings, log, TextWriter.Null, false);

        Assert.Equal((13, 8), (count, resumed));
        Assert.Contains("teacher: resuming", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "scores.bin")), File.ReadAllBytes(records));
    }

    [Fact]
    public void Run_Again_WhenComplete_DoesNothing()
    {
        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings(), TextWriter.Null, TextWriter.Null, false);
        var before = File.GetLastWriteTimeUtc(Path.Combine(Out, "scores.bin"));
        var log = new StringWriter();

        var (_, _, resumed) = TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings(), log, TextWriter.Null, false);

        Assert.Equal(13, resumed);
        Assert.Contains("already holds all 13 pairs; nothing to do.", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(Out, "scores.bin")));
    }

    [Fact]
    public void Run_OtherPromptLanguageOverAnExistingStore_IsRefused()
    {
        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings() with { FeatureDtype = null }, TextWriter.Null, TextWriter.Null, false);

        var error = Assert.Throws<InvalidDataException>(() => TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings(), TextWriter.Null, TextWriter.Null, false));

        Assert.Contains("was written for other settings (feature_dim, feature_dtype differ)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PlanNamesAPassageTheDataLacks_IsRefused()
    {
        var corpus = TeacherTestData.Corpus();
        corpus = corpus with { Passages = corpus.Passages.Where(p => p.Key != "n3").ToDictionary() };

        var error = Assert.Throws<InvalidDataException>(() => TeacherRun.Run(corpus, TeacherTestData.Plan(), Settings(), TextWriter.Null, TextWriter.Null, false));

        Assert.Equal("the plan pair (q3, n3) names passage 'n3', which /data/tiny does not have; was the plan made from other data?", error.Message);
    }

    [Fact]
    public void Run_NotATerminal_PrintsProgressLinesWithRateAndEta()
    {
        var progress = new StringWriter();

        TeacherRun.Run(TeacherTestData.Corpus(), TeacherTestData.Plan(), Settings() with { ChunkRecords = 2 }, TextWriter.Null, progress, false);

        var lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 5, 11);
        Assert.All(lines, l => Assert.Matches(@"^teacher: \d+/13 pairs \(\d+%\), [0-9.]+ pairs/s, ETA \d+:\d\d:\d\d$", l));
        Assert.StartsWith("teacher: 13/13 pairs (100%)", lines[^1], StringComparison.Ordinal);
    }

    private TeacherRunSettings Settings() => new() { Checkpoint = Checkpoint, TeacherDirectory = Out, BatchSize = 3, Device = CPU };

    /// <summary>The byte offset where chunk <paramref name="chunks"/> (1-based count of whole chunks) ends.</summary>
    private static long ChunkEnd(string records, int chunks)
    {
        var bytes = File.ReadAllBytes(records);
        long at = 0;
        for (var i = 0; i < chunks; i++)
        {
            at += TeacherRecordFile.ChunkHeaderBytes + BitConverter.ToInt64(bytes, (int)at + 8);
        }

        return at;
    }
}
