using System.Globalization;
using System.Text.Json;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>Writes an <c>eval rerank</c> result as a side-by-side table and as the JSON contract of <c>--json</c> (docs/cli.md).</summary>
internal static class RerankEvaluationOutput
{
    /// <summary>Queries not applied that the table names one by one; the JSON names them all.</summary>
    private const int NotAppliedListed = 10;

    public static void WriteTable(TextWriter output, RerankEvaluationResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var settings = result.Settings;
        output.WriteLine(string.Create(inv, $"rerank on {result.Dataset} ({result.Split}): {result.Rerank.QueriesEvaluated} queries evaluated, window {settings.Window}, {Describe(settings, result.Baseline)}"));
        output.WriteLine(result.FirstStage switch
        {
            "candidates" => $"first stage: candidates of {result.FirstStageDetail}",
            "sidecar" => $"first stage and rerank: sidecar {result.FirstStageDetail}",
            _ => "first stage: BM25 (as eval bm25)",
        });
        if (result.PassagesEncoded > 0)
        {
            output.WriteLine(string.Create(inv, $"model {result.ModelId}: {result.PassagesEncoded:N0} passages and the queries encoded in {result.EncodeTime.TotalSeconds:F1} s, windows scored in {result.ScoreTime.TotalSeconds:F2} s"));
        }

        if (result.Sidecar is { } sidecar)
        {
            output.WriteLine(string.Create(inv, $"X-Rerank: applied {sidecar.Applied}, fallback {sidecar.Fallback}, skipped {sidecar.Skipped}") +
                (sidecar.ModelIds.Count > 0 ? $" (model {string.Join(", ", sidecar.ModelIds)})" : ""));
            if (sidecar.NotApplied.Count > 0)
            {
                var reasons = string.Join(", ", sidecar.ByHeader.Where(h => h.Key != "applied").Select(h => string.Create(inv, $"{h.Key} {h.Value}")));
                var listed = string.Join(", ", sidecar.NotApplied.Take(NotAppliedListed).Select(n => $"{n.QueryId} ({n.Header})"));
                output.WriteLine(string.Create(inv, $"warning: {sidecar.NotApplied.Count} reranked answers were not applied ({reasons}); they are counted as rerank in the order the sidecar returned: {listed}") +
                    (sidecar.NotApplied.Count > NotAppliedListed ? ", ..." : ""));
            }
        }

        if (result.Rerank.QueriesWithoutRelevant > 0)
        {
            output.WriteLine($"note: {result.Rerank.QueriesWithoutRelevant} queries have no relevant document in the qrels and are not counted (as in BEIR)");
        }

        output.WriteLine();
        output.WriteLine("metric".PadRight(12) + "bm25".PadLeft(9) + "rerank".PadLeft(9) + "change".PadLeft(9));
        foreach (var name in result.Bm25.MetricNames)
        {
            var before = result.Bm25.Means[name];
            var after = result.Rerank.Means[name];
            output.WriteLine(name.PadRight(12) + before.ToString("F4", inv).PadLeft(9) + after.ToString("F4", inv).PadLeft(9) + (after - before).ToString("+0.0000;-0.0000;0.0000", inv).PadLeft(9));
        }
    }

    /// <summary>
    /// <c>bm25</c> and <c>rerank</c>: each the headline keys of <c>eval bm25</c>'s JSON, <c>queries</c> and
    /// <c>metrics</c>; then <c>queries</c> and the settings, timings and (through a sidecar) the <c>X-Rerank</c> counts.
    /// </summary>
    public static void WriteJson(string path, RerankEvaluationResult result)
    {
        var settings = result.Settings;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteSide(json, "bm25", result.Bm25);
        WriteSide(json, "rerank", result.Rerank);
        json.WriteNumber("queries", result.Rerank.QueriesEvaluated);
        json.WriteString("dataset", result.Dataset);
        json.WriteString("split", result.Split);
        json.WriteNumber("queries_searched", result.QueriesSearched);
        json.WriteNumber("queries_without_relevant", result.Rerank.QueriesWithoutRelevant);
        json.WriteString("first_stage", result.FirstStage);
        if (result.FirstStage == "candidates")
        {
            json.WriteString("candidates", result.FirstStageDetail);
        }

        json.WriteNumber("window", settings.Window);
        json.WriteString("score_mode", ScoreModeNames.ToName(settings.ScoreMode));
        json.WriteNumber("linear_weight", settings.LinearWeight);
        json.WriteNumber("rrf_k", settings.RrfK);
        if (result.Baseline is { } baseline)
        {
            json.WriteStartObject("baseline");
            json.WriteString("kind", EvalRerankCommand.BaselineCosine);
            json.WriteString("checkpoint", baseline.Checkpoint);
            json.WriteString("pooling", BiEncoderCheckpoint.Name(baseline.Pooling));
            json.WriteNumber("max_tokens", baseline.MaxTokens);
            if (baseline.QueryPrefix is null)
            {
                json.WriteNull("query_prefix");
            }
            else
            {
                json.WriteString("query_prefix", baseline.QueryPrefix);
            }

            if (baseline.PassagePrefix is null)
            {
                json.WriteNull("passage_prefix");
            }
            else
            {
                json.WriteString("passage_prefix", baseline.PassagePrefix);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteString("branch", settings.Branch.ToName());
        }

        if (result.Sidecar is null)
        {
            if (result.Baseline is null)
            {
                json.WriteString("projection_encoding", ProjectionEncodingNames.ToName(settings.ProjectionEncoding));
            }

            json.WriteStartArray("text_fields");
            foreach (var field in settings.TextFields)
            {
                json.WriteStringValue(field);
            }

            json.WriteEndArray();
            json.WriteString("separator", settings.Separator);
        }

        if (result.ModelId is not null)
        {
            json.WriteString("model", result.ModelId);
        }

        json.WriteNumber("passages_encoded", result.PassagesEncoded);
        json.WriteNumber("first_stage_seconds", result.FirstStageTime.TotalSeconds);
        json.WriteNumber("encode_seconds", result.EncodeTime.TotalSeconds);
        json.WriteNumber("score_seconds", result.ScoreTime.TotalSeconds);
        if (result.Sidecar is { } sidecar)
        {
            json.WriteStartObject("sidecar");
            json.WriteString("url", sidecar.Url);
            json.WriteString("index", sidecar.Index);
            json.WriteNumber("applied", sidecar.Applied);
            json.WriteNumber("fallback", sidecar.Fallback);
            json.WriteNumber("skipped", sidecar.Skipped);
            json.WriteStartObject("x_rerank");
            foreach (var (header, count) in sidecar.ByHeader)
            {
                json.WriteNumber(header, count);
            }

            json.WriteEndObject();
            json.WriteStartArray("not_applied");
            foreach (var (queryId, header) in sidecar.NotApplied)
            {
                json.WriteStartObject();
                json.WriteString("query", queryId);
                json.WriteString("x_rerank", header);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter json, string name, EvaluationReport report)
    {
        json.WriteStartObject(name);
        Bm25EvaluationOutput.WriteHeadline(json, report.Means);
        json.WriteNumber("queries", report.QueriesEvaluated);
        Bm25EvaluationOutput.WriteAllMetrics(json, report.Means);
        json.WriteEndObject();
    }

    private static string Describe(RerankSettings settings, BiEncoderCheckpoint? baseline)
    {
        var mode = settings.ScoreMode switch
        {
            ScoreMode.Linear => string.Create(CultureInfo.InvariantCulture, $"score mode linear (weight {settings.LinearWeight})"),
            ScoreMode.Rrf => string.Create(CultureInfo.InvariantCulture, $"score mode rrf (k {settings.RrfK})"),
            _ => "score mode model",
        };
        return baseline is null
            ? $"{mode}, branch {settings.Branch.ToName()}, {ProjectionEncodingNames.ToName(settings.ProjectionEncoding)} projections"
            : string.Create(CultureInfo.InvariantCulture, $"{mode}, cosine baseline ({BiEncoderCheckpoint.Name(baseline.Pooling)} pooling, {baseline.MaxTokens} tokens{(baseline.QueryPrefix is null ? "" : ", query prefix")}{(baseline.PassagePrefix is null ? "" : ", passage prefix")})");
    }
}
