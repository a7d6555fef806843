using System.Globalization;
using System.Text.Json;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.Cli.Eval;

/// <summary>Writes a BM25 evaluation as a console table and as the JSON contract of <c>--json</c> (docs/cli.md).</summary>
internal static class Bm25EvaluationOutput
{
    /// <summary>The metrics at the top of the JSON (and of each side of <c>eval rerank</c>'s JSON).</summary>
    public static readonly IReadOnlyList<string> HeadlineMetrics = ["ndcg@10", "mrr@10", "recall@100", "map@100"];

    private static readonly string[] Families = ["ndcg", "mrr", "recall", "map", "p"];

    public static void WriteTable(TextWriter output, Bm25EvaluationResult result)
    {
        var settings = result.Settings;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"BM25 on {result.Dataset} ({settings.Split}): {result.Report.QueriesEvaluated} queries evaluated, {result.DocumentCount:N0} documents"));
        output.WriteLine(string.Create(inv, $"index: {result.IndexStatus.ToString().ToLowerInvariant()} {result.IndexPath}") +
            (result.IndexBuildTime > TimeSpan.Zero ? string.Create(inv, $" (built in {result.IndexBuildTime.TotalSeconds:F1} s)") : ""));
        output.WriteLine(string.Create(inv, $"search: {result.QueriesSearched} queries in {result.SearchTime.TotalSeconds:F2} s, top {settings.TopK}, {Describe(settings)}"));
        if (result.Report.QueriesWithoutRelevant > 0)
        {
            output.WriteLine($"note: {result.Report.QueriesWithoutRelevant} queries have no relevant document in the qrels and are not counted (as in BEIR)");
        }

        output.WriteLine();
        var cutoffs = settings.Cutoffs;
        output.Write("metric".PadRight(8));
        foreach (var k in cutoffs)
        {
            output.Write(("@" + k.ToString(inv)).PadLeft(9));
        }

        output.WriteLine();
        foreach (var family in Families)
        {
            output.Write(family.PadRight(8));
            foreach (var k in cutoffs)
            {
                output.Write(result.Report.Means[Metric(family, k)].ToString("F4", inv).PadLeft(9));
            }

            output.WriteLine();
        }
    }

    /// <summary>
    /// Top level: <c>ndcg@10</c>, <c>mrr@10</c>, <c>recall@100</c>, <c>map@100</c> (numbers) and <c>queries</c>
    /// (queries evaluated); then every metric under <c>metrics</c> and the run's settings and timings.
    /// </summary>
    public static void WriteJson(string path, Bm25EvaluationResult result)
    {
        var settings = result.Settings;
        var means = result.Report.Means;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteHeadline(json, means);
        json.WriteNumber("queries", result.Report.QueriesEvaluated);
        WriteAllMetrics(json, means);
        json.WriteString("dataset", result.Dataset);
        json.WriteString("split", settings.Split);
        json.WriteNumber("documents", result.DocumentCount);
        json.WriteNumber("queries_searched", result.QueriesSearched);
        json.WriteNumber("queries_without_relevant", result.Report.QueriesWithoutRelevant);
        json.WriteNumber("top_k", settings.TopK);
        json.WriteStartObject("bm25");
        json.WriteNumber("k1", settings.Index.K1);
        json.WriteNumber("b", settings.Index.B);
        json.WriteString("scoring", Bm25Similarities.Name(settings.Index.Scoring));
        json.WriteString("mode", settings.Mode.ToString().ToLowerInvariant());
        json.WriteString("analyzer", AnalyzerFactory.Name(settings.Index.Analyzer));
        json.WriteStartArray("fields");
        foreach (var field in settings.Index.Fields)
        {
            json.WriteStringValue(field);
        }

        json.WriteEndArray();
        json.WriteString("separator", settings.Index.Separator);
        json.WriteEndObject();
        json.WriteStartObject("index");
        json.WriteString("path", result.IndexPath);
        json.WriteString("status", result.IndexStatus.ToString().ToLowerInvariant());
        json.WriteNumber("build_seconds", result.IndexBuildTime.TotalSeconds);
        json.WriteEndObject();
        json.WriteNumber("search_seconds", result.SearchTime.TotalSeconds);
        json.WriteEndObject();
    }

    /// <summary>The headline metrics, <c>ndcg@10</c>, <c>mrr@10</c>, <c>recall@100</c>, <c>map@100</c>, as numbers of the open object.</summary>
    public static void WriteHeadline(Utf8JsonWriter json, IReadOnlyDictionary<string, double> means)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(means);
        foreach (var name in HeadlineMetrics)
        {
            json.WriteNumber(name, means[name]);
        }
    }

    /// <summary>Every metric, in report order, under <c>metrics</c> in the open object.</summary>
    public static void WriteAllMetrics(Utf8JsonWriter json, IReadOnlyDictionary<string, double> means)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(means);
        json.WriteStartObject("metrics");
        foreach (var (name, value) in means)
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
    }

    private static string Metric(string family, int k) => string.Create(CultureInfo.InvariantCulture, $"{family}@{k}");

    private static string Describe(Bm25EvaluationSettings settings) => string.Create(
        CultureInfo.InvariantCulture,
        $"{settings.Mode.ToString().ToLowerInvariant()} [{string.Join(",", settings.Index.Fields)}], analyzer {AnalyzerFactory.Name(settings.Index.Analyzer)}, k1 {settings.Index.K1}, b {settings.Index.B}, {Bm25Similarities.Name(settings.Index.Scoring)} scoring");
}
