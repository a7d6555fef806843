using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.CommandLine;
using Rerank.Model.Bundle;
using Rerank.TestUtilities;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Pipeline;

/// <summary>
/// Issue 12 item 9's end-to-end run: <c>rerank-train run</c> on a slice of the shared SciFact with tiny random teacher and
/// student from <c>init-checkpoint</c>. The student's agreement with the teacher on held-out pairs must rise clearly above its
/// untrained value, the bundle must reproduce the trained student's agreement in ONNX Runtime, a second run with the same
/// seed must give the same bundle byte for byte, and a rerun must resume every stage instead of redoing it.
/// </summary>
public sealed class RunCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Run_SciFactSliceTinyModels_RaisesHeldOutAgreementExportsAndIsDeterministic()
    {
        var data = SciFactSlice(queries: 240, documents: 1200);
        var teacher = InitCheckpoint("teacher", data, seed: 7);
        var student = InitCheckpoint("student", data, seed: 3);
        string[] common = ["run", "--data", data, "--teacher", teacher, "--student", student, "--batch-size", "16", "--max-steps", "80", "--eval-every", "20", "--iem-hidden", "64", "--teacher-batch-size", "16"];
        var first = Path.Combine(_temp.Path, "first");

        var run = Train([.. common, "--out", first]);

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("run: frozen backbone (cached hidden states), heads trained on cpu (--backbone auto)", run.Output, StringComparison.Ordinal);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "report.json")))!;
        var before = report["spearman_before"]!.GetValue<double>();
        var after = report["spearman_after"]!.GetValue<double>();
        var served = report["spearman_after_bundle"]!.GetValue<double>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out Spearman {before:F4} -> {after:F4} (bundle {served:F4}), {report["heldout_pairs"]} pairs, seconds {report["seconds"]!.ToJsonString()}"));
        Assert.True(after >= before + 0.15, $"held-out teacher-student Spearman {before:F4} -> {after:F4}");
        Assert.True(Math.Abs(served - after) < 0.01, $"the bundle's agreement {served:F4} should be the trained student's {after:F4}");
        var manifest = ModelBundle.Load(Path.Combine(first, "bundle")).Manifest;
        Assert.Equal(report["bundle"]!["model_id"]!.GetValue<string>(), manifest.ModelId);
        Assert.StartsWith("checkpoint " + teacher + " (sha256 ", manifest.Provenance.Teacher, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, double> { ["ci"] = 1, ["fi"] = 0.001, ["inbatch"] = 1, ["ri_hi"] = 0.01, ["ri_ph"] = 1 }, manifest.Provenance.Losses);
        var recorded = manifest.Provenance.Metrics!["heldout_pooled_spearman"];
        Assert.True(Math.Abs(after - recorded) < 1e-6, $"the manifest records {recorded} as the held-out Spearman, the report {after}");

        // The same seed in another directory gives the same bundle, byte for byte.
        var second = Path.Combine(_temp.Path, "second");
        Assert.Equal(0, Train([.. common, "--out", second]).ExitCode);
        foreach (var file in new[] { "encoder.onnx", "passage_projection.onnx", "scorer.onnx" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first, "bundle", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, "bundle", file))), file);
        }

        // A rerun resumes every stage: nothing is mined or scored again, training is already at its last step.
        var again = Train([.. common, "--out", first]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("(0 mined now, 240 from an earlier run)", again.Output, StringComparison.Ordinal);
        Assert.Matches(@"teacher: [\d,]+ pairs \(([\d,]+) from an earlier run\)", again.Output);
        Assert.Equal(manifest.ModelId, ModelBundle.Load(Path.Combine(first, "bundle")).Manifest.ModelId);
    }

    [Fact]
    public void Run_AblationPooling_IsRefusedBeforeAnyStage()
    {
        var data = SciFactSlice(queries: 20, documents: 60);
        var result = Train(["run", "--data", data, "--teacher", "t", "--student", "s", "--out", Path.Combine(_temp.Path, "ablation"), "--pooling", "mean"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--pooling mean", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "ablation")));
    }

    private string SciFactSlice(int queries, int documents) => SciFactSlices.Write(_temp.Path, queries, documents);

    private string InitCheckpoint(string name, string data, int seed)
    {
        var directory = Path.Combine(_temp.Path, name);
        var result = Train(["init-checkpoint", "--out", directory, "--hidden", "32", "--heads", "4", "--kv-heads", "2", "--vocab-from", Path.Combine(data, "corpus.jsonl"), "--vocab-size", "2000", "--seed", seed.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.Error);
        return directory;
    }

    private static (int ExitCode, string Output, string Error) Train(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
