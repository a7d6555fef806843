using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;
using Rerank.TestUtilities;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher.Fusion;

/// <summary>
/// <c>rerank-train teacher fuse</c> end to end on a SciFact slice with the real all-MiniLM-L6-v2: every plan pair gets the
/// logit the report's calibration gives to features recomputed here (BM25 min-max over the window by hand from the index's
/// hits, the cosine from the encoder), and the scores become the run's teacher.
/// </summary>
public sealed class TeacherFuseCommandTests : IDisposable
{
    private const int Window = 20;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Fuse_SciFactSliceWithMiniLm_WritesCalibratedLogitsForEveryPlanPairAndImportsThem()
    {
        var data = SciFactSlice(queries: 30, documents: 120);
        var run = Path.Combine(_temp.Path, "run");
        var minilm = Path.Combine(_temp.Path, "minilm");
        Assert.Equal(0, Run("pretrained", "import", "minilm", "--out", minilm).ExitCode);
        Assert.Equal(0, Run("mine", "--data", data, "--out", run, "--top", "4").ExitCode);
        Assert.Equal(0, Run("plan", "--data", data, "--out", run, "--batch-size", "4", "--negatives", "3").ExitCode);

        var result = Run("teacher", "fuse", "--data", data, "--out", run, "--encoder", minilm, "--window", $"{Window}", "--fit-queries", "20");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("teacher fuse: minilm: mean pooling, 256 tokens", result.Output, StringComparison.Ordinal);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "teacher-fusion.json")))!;
        Assert.Equal(3, report["candidates"]!.AsArray().Count); // bm25, minilm, both
        var chosen = report["chosen"]!;
        var names = chosen["features"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        var bias = chosen["bias"]!.GetValue<double>();
        var weights = chosen["weights"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();

        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = data });
        var plan = PlanFile.Read(Path.Combine(run, "plan.json"), corpus);
        var pairs = plan.Pairs();
        var lines = File.ReadAllLines(Path.Combine(run, "teacher-fusion.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(pairs.Count, lines.Count);

        using var index = Bm25Index.OpenOrBuild(Path.Combine(run, "bm25", "index"), Path.Combine(data, "corpus.jsonl"), BeirReader.ReadCorpus(Path.Combine(data, "corpus.jsonl")), new Bm25IndexOptions());
        var (settings, encoder) = BiEncoderCheckpoint.Open(minilm, null, new StudentModelOptions { PreferGpu = false }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using (encoder)
        using (var store = TeacherStore.OpenMerged(Path.Combine(run, "teacher")))
        {
            foreach (var line in lines.Take(40))
            {
                var (queryId, passageId) = (line["query_id"]!.GetValue<string>(), line["passage_id"]!.GetValue<string>());
                var hits = index.Search(corpus.Queries[queryId], Window);
                var (min, max) = (hits.Min(h => h.Score), hits.Max(h => h.Score));
                var hit = hits.FirstOrDefault(h => h.DocumentId == passageId);
                var bm25 = hit.DocumentId is null ? 0 : max > min ? (hit.Score - min) / (double)(max - min) : 1;
                var q = encoder.Encode([corpus.Queries[queryId]], settings.QueryLimits, TestContext.Current.CancellationToken);
                var p = encoder.Encode([corpus.Passages[passageId]], settings.PassageLimits, TestContext.Current.CancellationToken);
                var cosine = q.Zip(p, (a, b) => (double)a * b).Sum();
                var features = new Dictionary<string, double> { ["bm25"] = bm25, ["minilm"] = cosine };
                var expected = bias + names.Select((n, i) => weights[i] * features[n]).Sum();

                Assert.Equal(expected, line["logit"]!.GetValue<double>(), 1e-4);
                Assert.True(store.TryGet(queryId, passageId, out var output));
                Assert.Equal(expected, output.Logit, 1e-4);
            }
        }
    }

    [Fact]
    public void Fuse_EncoderNotBert_IsOneLineErrorNamingConfig()
    {
        var data = SciFactSlice(queries: 10, documents: 30);
        var run = Path.Combine(_temp.Path, "run");
        Run("mine", "--data", data, "--out", run);
        Run("plan", "--data", data, "--out", run, "--batch-size", "2", "--negatives", "2");
        var decoder = Path.Combine(_temp.Path, "decoder");
        Assert.Equal(0, Run("init-checkpoint", "--out", decoder, "--hidden", "32", "--heads", "4", "--kv-heads", "2", "--vocab-from", Path.Combine(data, "corpus.jsonl"), "--vocab-size", "500").ExitCode);

        var result = Run("teacher", "fuse", "--data", data, "--out", run, "--encoder", decoder);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("config.json", result.Error, StringComparison.Ordinal);
        Assert.Contains("not supported", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private string SciFactSlice(int queries, int documents) => SciFactSlices.Write(_temp.Path, queries, documents);

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CommandRuns.Train(args);
}
