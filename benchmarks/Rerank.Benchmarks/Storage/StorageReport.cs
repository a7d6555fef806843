using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Model.Runtime;

namespace Rerank.Benchmarks.Storage;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Rerank.Benchmarks -- storage [--queries N]</c>: how u_p is best stored
/// and fetched (issue 10, item 3). Indexes all SciFact passages with the tiny student's u_p under each encoding
/// (<see cref="ProjectionCorpus"/>), then for each test query (the first N when given) runs the first stage the
/// sidecar would send (BM25 <c>match</c> on <c>contents</c>, a window of 100, the projection fetched each way of
/// <see cref="ProjectionCase"/>), and reports as Markdown:
/// <list type="number">
/// <item>bytes per document of the stored value (its JSON text in _source);</item>
/// <item>mean response bytes for the window, per case;</item>
/// <item>mean time to parse a response into ids and float[100 * H] (Stopwatch; <see cref="ProjectionParseBenchmarks"/> is the careful figure);</item>
/// <item>nDCG@10 of the BM25 top 100 reranked by the student over each encoding's decoded u_p, its delta against
/// float32, the mean top-10 overlap with float32's ranking, and the largest score change (next to the scores' spread).</item>
/// </list>
/// </summary>
internal static class StorageReport
{
    private const int Window = 100;
    private const int Cutoff = 10;

    public static int Run(string[] args)
    {
        int? queryLimit = args.Length == 2 && args[0] == "--queries" ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
        var clock = Stopwatch.StartNew();
        using var corpus = ProjectionCorpus.Create(limit: null, Console.Out);
        var hidden = corpus.Hidden;
        var queries = queryLimit is { } n ? corpus.Dataset.Queries.Take(n).ToList() : [.. corpus.Dataset.Queries];
        var embeddings = corpus.Model.EncodeQueries([.. queries.Select(q => q.Text)]);

        var cases = ProjectionCase.All;
        var responseBytes = new long[cases.Count];
        var parseTicks = new long[cases.Count];
        var encodings = Enum.GetValues<ProjectionEncoding>();
        var ndcg = encodings.ToDictionary(e => e, _ => 0.0);
        var overlap = encodings.ToDictionary(e => e, _ => 0.0);
        var maxScoreChange = encodings.ToDictionary(e => e, _ => 0.0);
        var bm25Ndcg = 0.0;
        var scoreSpread = 0.0;
        var positions = corpus.Documents.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var expected = new float[hidden];
        var ids = new string[Window];
        var projections = new float[Window * hidden];
        var logits = new float[Window];

        foreach (var (query, q) in queries.Select((query, q) => (query, q)))
        {
            var judgments = corpus.Dataset.Qrels.ByQuery.TryGetValue(query.Id, out var j) ? j : new Dictionary<string, int>();
            var match = new JsonObject { ["match"] = new JsonObject { [BeirBulkBody.ContentsField] = query.Text } };
            var decoded = new Dictionary<ProjectionEncoding, (string[] Ids, float[] Projections)>();
            for (var c = 0; c < cases.Count; c++)
            {
                var response = corpus.Search(cases[c].Encoding, cases[c].SearchBody(match, Window, ProjectionCorpus.ProjectionPath));
                responseBytes[c] += response.Length;
                var started = Stopwatch.GetTimestamp();
                var count = ProjectionResponseParser.Parse(response, cases[c], ProjectionCorpus.ProjectionPath, hidden, ids, projections);
                parseTicks[c] += Stopwatch.GetTimestamp() - started;
                var result = (ids[..count], projections[..(count * hidden)]);
                if (decoded.TryGetValue(cases[c].Encoding, out var earlier))
                {
                    // Two ways of fetching one encoding must give the same hits and the same values.
                    if (!earlier.Ids.SequenceEqual(result.Item1) || !earlier.Projections.AsSpan().SequenceEqual(result.Item2))
                    {
                        throw new InvalidOperationException($"{cases[c].Name} disagrees with the other fetch of its encoding for query {query.Id}.");
                    }
                }
                else
                {
                    // What came back is what was written, decoded: the model's u_p for float32, its quantisation otherwise.
                    for (var h = 0; h < count; h++)
                    {
                        var stored = System.Text.Json.JsonSerializer.SerializeToElement(corpus.Stored(positions[ids[h]], cases[c].Encoding));
                        _ = ProjectionCodec.TryDecode(stored, cases[c].Encoding, expected);
                        if (!expected.AsSpan().SequenceEqual(result.Item2.AsSpan(h * hidden, hidden)))
                        {
                            throw new InvalidOperationException($"{cases[c].Name}: document {ids[h]} read back differs from what was written.");
                        }
                    }

                    decoded[cases[c].Encoding] = result;
                }
            }

            var bm25 = decoded[ProjectionEncoding.Float32].Ids;
            bm25Ndcg += IrMetrics.Ndcg(bm25, judgments, Cutoff);
            var reference = Rerank(corpus.Model, embeddings.AsMemory(q * corpus.Model.Dim, corpus.Model.Dim), decoded[ProjectionEncoding.Float32], logits);
            var mean = reference.Scores.Average();
            scoreSpread += Math.Sqrt(reference.Scores.Average(s => (s - mean) * (s - mean)));
            foreach (var encoding in encodings)
            {
                var (order, scores) = encoding == ProjectionEncoding.Float32
                    ? reference
                    : Rerank(corpus.Model, embeddings.AsMemory(q * corpus.Model.Dim, corpus.Model.Dim), decoded[encoding], logits);
                if (!decoded[encoding].Ids.SequenceEqual(bm25))
                {
                    throw new InvalidOperationException($"The {encoding} index's BM25 hits differ from float32's for query {query.Id}.");
                }

                ndcg[encoding] += IrMetrics.Ndcg(order, judgments, Cutoff);
                overlap[encoding] += order.Take(Cutoff).Intersect(reference.Order.Take(Cutoff), StringComparer.Ordinal).Count() / (double)Cutoff;
                for (var i = 0; i < scores.Length; i++)
                {
                    maxScoreChange[encoding] = Math.Max(maxScoreChange[encoding], Math.Abs(scores[i] - reference.Scores[i]));
                }
            }
        }

        Console.WriteLine(Format(corpus, queries.Count, cases, responseBytes, parseTicks, ndcg, overlap, maxScoreChange, bm25Ndcg, scoreSpread / queries.Count, clock.Elapsed));
        return 0;
    }

    /// <summary>The candidates reordered by the student's asymmetric score (ties keep BM25 order), and the scores in hit order.</summary>
    private static (string[] Order, float[] Scores) Rerank(StudentModel model, ReadOnlyMemory<float> query, (string[] Ids, float[] Projections) hits, float[] logits)
    {
        var count = hits.Ids.Length;
        model.Score(query, hits.Projections, StudentBranch.Asymmetric, logits.AsMemory(0, count));
        var scores = logits[..count];
        var order = Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ThenBy(i => i).Select(i => hits.Ids[i]).ToArray();
        return (order, scores);
    }

    private static string Format(
        ProjectionCorpus corpus,
        int queryCount,
        IReadOnlyList<ProjectionCase> cases,
        long[] responseBytes,
        long[] parseTicks,
        Dictionary<ProjectionEncoding, double> ndcg,
        Dictionary<ProjectionEncoding, double> overlap,
        Dictionary<ProjectionEncoding, double> maxScoreChange,
        double bm25Ndcg,
        double scoreSpread,
        TimeSpan elapsed)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(culture, $"SciFact: {corpus.Documents.Count} passages, {queryCount} test queries, window {Window}, H = {corpus.Hidden}, tiny random student ({corpus.Model.ModelId[..12]}), {elapsed.TotalSeconds:F0} s");
        text.AppendLine();
        text.AppendLine("| encoding | stored JSON bytes/doc | fetched via | response bytes (100 hits) | ratio | parse µs | ratio |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        var baseBytes = responseBytes[0] / (double)queryCount;
        var baseParse = parseTicks[0] / (double)queryCount;
        for (var c = 0; c < cases.Count; c++)
        {
            var encoding = cases[c].Encoding;
            var stored = Enumerable.Range(0, corpus.Documents.Count).Average(i => Encoding.UTF8.GetByteCount(corpus.Stored(i, encoding).ToJsonString(ProjectionCorpus.Json)));
            var bytes = responseBytes[c] / (double)queryCount;
            var parse = parseTicks[c] / (double)queryCount;
            text.AppendLine(culture, $"| {ProjectionEncodingNames.ToName(encoding)} | {stored:F0} | {cases[c].Name[(cases[c].Name.IndexOf(" via ", StringComparison.Ordinal) + 5)..]} | {bytes:F0} | {bytes / baseBytes:F2} | {parse * 1e6 / Stopwatch.Frequency:F0} | {parse / baseParse:F2} |");
        }

        text.AppendLine();
        text.AppendLine(culture, $"BM25 (first stage) nDCG@10: {bm25Ndcg / queryCount:F4}; float32 student scores: mean standard deviation within a query's 100 candidates {scoreSpread:G3}");
        text.AppendLine();
        text.AppendLine("| encoding | reranked nDCG@10 | delta vs float32 | top-10 overlap with float32 | max abs score change |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (encoding, sum) in ndcg)
        {
            text.AppendLine(culture, $"| {ProjectionEncodingNames.ToName(encoding)} | {sum / queryCount:F4} | {(sum - ndcg[ProjectionEncoding.Float32]) / queryCount:+0.0000;-0.0000;0.0000} | {overlap[encoding] / queryCount:F4} | {maxScoreChange[encoding]:G3} |");
        }

        return text.ToString();
    }
}
