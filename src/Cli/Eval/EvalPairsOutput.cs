using System.Globalization;
using System.Text.Json;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>Writes an <c>eval pairs</c> result as a table and as the JSON of <c>--json</c> (docs/training.md, "Pair-set evaluation").</summary>
internal static class EvalPairsOutput
{
    public static void WriteTable(TextWriter output, EvalPairsResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"pairs of {result.DataPath}: {result.Pairs:N0}, model {result.ModelId}, branch {result.Branch.ToName()}"));
        output.WriteLine(string.Create(inv, $"encoded in {result.EncodeTime.TotalSeconds:F1} s, scored in {result.ScoreTime.TotalSeconds:F2} s"));
        if (result.Classification is { } c)
        {
            output.WriteLine(string.Create(inv, $"labels: {c.Positive:N0} entailment (positive), {c.Negative:N0} contradiction") +
                (c.NeutralRule == EvalPairsEvaluation.NeutralExclude
                    ? string.Create(inv, $" (negative), {c.NeutralExcluded:N0} neutral excluded")
                    : " and neutral (negative)"));
        }

        output.WriteLine();
        output.WriteLine("metric".PadRight(12) + "value".PadLeft(9));
        if (result.Classification is { } classification)
        {
            output.WriteLine("accuracy".PadRight(12) + Format(classification.Accuracy).PadLeft(9) + "  (best threshold: logit > " + classification.Threshold.ToString("G6", inv) + ")");
            output.WriteLine("ap".PadRight(12) + Format(classification.AveragePrecision).PadLeft(9));
        }

        if (result.Graded is { } graded)
        {
            output.WriteLine("spearman".PadRight(12) + Format(graded.Spearman).PadLeft(9) + string.Create(inv, $"  ({graded.Pairs:N0} graded pairs)"));
            output.WriteLine("pearson".PadRight(12) + Format(graded.Pearson).PadLeft(9));
        }
    }

    /// <summary>
    /// <c>data</c>, <c>model</c>, <c>branch</c>, <c>pairs</c>; <c>classification</c> (labels) and <c>graded</c>
    /// (scores) where the file has them; timings. An undefined value (NaN, an infinite threshold) is null.
    /// </summary>
    public static void WriteJson(string path, EvalPairsResult result)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("data", result.DataPath);
        json.WriteString("model", result.ModelId);
        json.WriteString("branch", result.Branch.ToName());
        json.WriteNumber("pairs", result.Pairs);
        if (result.Classification is { } c)
        {
            json.WriteStartObject("classification");
            json.WriteString("neutral", c.NeutralRule);
            json.WriteNumber("positive", c.Positive);
            json.WriteNumber("negative", c.Negative);
            json.WriteNumber("neutral_excluded", c.NeutralExcluded);
            Number(json, "accuracy", c.Accuracy);
            Number(json, "threshold", c.Threshold);
            Number(json, "ap", c.AveragePrecision);
            json.WriteEndObject();
        }

        if (result.Graded is { } g)
        {
            json.WriteStartObject("graded");
            json.WriteNumber("pairs", g.Pairs);
            Number(json, "spearman", g.Spearman);
            Number(json, "pearson", g.Pearson);
            json.WriteEndObject();
        }

        json.WriteNumber("encode_seconds", result.EncodeTime.TotalSeconds);
        json.WriteNumber("score_seconds", result.ScoreTime.TotalSeconds);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Format(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);
}
