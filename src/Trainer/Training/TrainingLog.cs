using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.Trainer.Training;

/// <summary>
/// <c>train/log.jsonl</c> (one JSON object per step with every loss term, the rate and the gradient norm, and one per
/// evaluation) and the console lines (every <c>log-every</c> steps: each term, lr, step rate, ETA).
/// </summary>
/// <remarks>On resume the file keeps the lines up to the checkpoint's step and goes on from there, so it reads as one run.</remarks>
internal sealed class TrainingLog : IDisposable
{
    private readonly StreamWriter _file;
    private readonly TextWriter _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _firstStep;

    /// <param name="path">The log file.</param>
    /// <param name="resumedStep">The checkpoint's step when resuming (lines up to it are kept), or null to start the file over.</param>
    /// <param name="output">Where the console lines go.</param>
    public TrainingLog(string path, long? resumedStep, TextWriter output)
    {
        _output = output;
        _firstStep = resumedStep ?? 0;
        var kept = new List<string>();
        if (resumedStep is not null && File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (Step(line) is { } step && step <= resumedStep)
                {
                    kept.Add(line);
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        foreach (var line in kept)
        {
            _file.WriteLine(line);
        }
    }

    public void Step(long step, long totalSteps, int epoch, double learningRate, double gradientNorm, IReadOnlyList<KeyValuePair<string, double>> terms, int logEvery)
    {
        var line = new JsonObject { ["type"] = "step", ["step"] = step, ["epoch"] = epoch, ["lr"] = learningRate, ["grad_norm"] = gradientNorm };
        foreach (var (name, value) in terms)
        {
            line[name] = value;
        }

        _file.WriteLine(line.ToJsonString());
        if (step % logEvery == 0 || step == totalSteps)
        {
            var rate = (step - _firstStep) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
            var eta = TimeSpan.FromSeconds(Math.Min((totalSteps - step) / Math.Max(rate, 1e-9), TimeSpan.MaxValue.TotalSeconds / 2));
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"step {step}/{totalSteps} epoch {epoch}");
            foreach (var (name, value) in terms)
            {
                text.Append(CultureInfo.InvariantCulture, $" {name} {value:F4}");
            }

            text.Append(CultureInfo.InvariantCulture, $" lr {learningRate:E2} {rate:F2} steps/s ETA {(int)eta.TotalHours:D2}:{eta:mm\\:ss}");
            _output.WriteLine(text.ToString());
        }
    }

    public void Evaluation(HeldOutMetrics metrics, bool best)
    {
        var line = metrics.ToJson();
        line["type"] = "eval";
        line["best"] = best;
        _file.WriteLine(line.ToJsonString());
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"eval step {metrics.Step}: pooled spearman {metrics.PooledSpearman:F4}, mean query spearman {metrics.MeanQuerySpearman:F4}, mrr {metrics.Mrr:F4} ({metrics.Queries} queries, {metrics.Pairs} pairs){(best ? ", best so far" : "")}"));
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The step of a log line, or null for a line that is not a complete JSON object (a write torn by a crash).</summary>
    private static long? Step(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["step"]?.GetValue<long>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
