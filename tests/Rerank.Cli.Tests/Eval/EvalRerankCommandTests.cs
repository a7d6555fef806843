using System.Globalization;
using System.Text.Json;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Model.Runtime;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

public sealed class EvalRerankCommandTests(TinyBundleFixture bundle) : IClassFixture<TinyBundleFixture>, IDisposable
{
    private static readonly (string Id, string Title, string Text)[] Documents =
    [
        ("d1", "Apples", "apple pie with cinnamon and sugar"),
        ("d2", "", "banana bread needs ripe bananas"),
        ("d3", "Orchards", "apple trees blossom in spring"),
        ("d4", "Cider", "pressed apple juice ferments into cider"),
        ("d5", "", "an apple a day keeps the doctor away"),
        ("d6", "Tropical", "bananas and mangoes grow in warm climates"),
    ];

    private static readonly (string Id, string Text)[] Queries = [("q1", "apple recipes"), ("q2", "banana"), ("q3", "cherry")];

    // The first stage, by hand: q1 has five candidates (the window of 4 cuts d5), q2 three; q3 has none.
    private static readonly (string Query, string Document, float Score)[] Candidates =
    [
        ("q1", "d1", 10f), ("q1", "d2", 9f), ("q1", "d3", 8f), ("q1", "d4", 7.5f), ("q1", "d5", 6f),
        ("q2", "d6", 5f), ("q2", "d2", 4f), ("q2", "d3", 3f),
    ];

    private static readonly Dictionary<string, Dictionary<string, int>> Judgments = new()
    {
        ["q1"] = new() { ["d3"] = 1, ["d5"] = 2, ["d4"] = 1 },
        ["q2"] = new() { ["d2"] = 1 },
        ["q3"] = new() { ["d1"] = 0 },
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("model", 0.5, 60)]
    [InlineData("linear", 0.3, 60)]
    [InlineData("rrf", 0.5, 2)]
    public void EvalRerank_Candidates_OrderAndMetricsEqualAnIndependentComputation(string mode, double weight, int k)
    {
        var data = WriteCollection();
        var candidates = WriteCandidates();
        var runPath = Path.Combine(_temp.Path, "rerank.run");
        var jsonPath = Path.Combine(_temp.Path, "out.json");

        var result = CliRunner.Run(
            "eval", "rerank", "--model", bundle.Directory, "--data", data, "--candidates", candidates, "--window", "4",
            "--score-mode", mode, "--linear-weight", weight.ToString(CultureInfo.InvariantCulture), "--rrf-k", k.ToString(CultureInfo.InvariantCulture),
            "--run", runPath, "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = ExpectedRerank(mode, weight, k, window: 4);
        var actual = ReadRun(runPath);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (query, ranking) in expected)
        {
            Assert.Equal(ranking.Select(r => r.Document), actual[query].Select(r => r.Document));
            for (var i = 0; i < ranking.Count; i++)
            {
                Assert.Equal(ranking[i].Score, actual[query][i].Score, 1e-5);
            }
        }

        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        var firstStage = Queries.Take(2).ToDictionary(q => q.Id, q => Candidates.Where(c => c.Query == q.Id).Take(4).Select(c => c.Document).ToArray());
        AssertMetrics(root.GetProperty("bm25"), firstStage);
        AssertMetrics(root.GetProperty("rerank"), expected.ToDictionary(e => e.Key, e => e.Value.Select(r => r.Document).ToArray()));
        Assert.Equal(2, root.GetProperty("queries").GetInt32());
        Assert.Equal(mode, root.GetProperty("score_mode").GetString());
        Assert.Equal("candidates", root.GetProperty("first_stage").GetString());
        Assert.Equal(6 - 1, root.GetProperty("passages_encoded").GetInt32()); // d1..d4 and d6: d5 is beyond q1's window
        Assert.Contains("rerank", result.Output);
        Assert.Contains("encoding passages: 5/5", result.Output);
    }

    [Fact]
    public void EvalRerank_Bm25FirstStage_IsEvalBm25sTopWindow()
    {
        var data = WriteCollection();
        var index = Path.Combine(_temp.Path, "index");
        var bm25Run = Path.Combine(_temp.Path, "bm25.run");
        var bm25Json = Path.Combine(_temp.Path, "bm25.json");
        var rerankRun = Path.Combine(_temp.Path, "rerank.run");
        var rerankJson = Path.Combine(_temp.Path, "rerank.json");

        var bm25 = CliRunner.Run("eval", "bm25", "--data", data, "--top-k", "3", "--index-dir", index, "--run", bm25Run, "--json", bm25Json);
        var rerank = CliRunner.Run("eval", "rerank", "--model", bundle.Directory, "--data", data, "--window", "3", "--index-dir", index, "--run", rerankRun, "--json", rerankJson);

        Assert.True(bm25.ExitCode == 0, bm25.Error);
        Assert.True(rerank.ExitCode == 0, rerank.Error);
        var first = ReadRun(bm25Run);
        var reranked = ReadRun(rerankRun);
        Assert.Equal(first.Keys.Order(), reranked.Keys.Order());
        foreach (var (query, ranking) in first)
        {
            Assert.Equal(ranking.Select(r => r.Document).Order(), reranked[query].Select(r => r.Document).Order());
        }

        using var bm25Doc = JsonDocument.Parse(File.ReadAllText(bm25Json));
        using var rerankDoc = JsonDocument.Parse(File.ReadAllText(rerankJson));
        foreach (var metric in new[] { "ndcg@10", "mrr@10", "recall@100", "map@100" })
        {
            Assert.Equal(bm25Doc.RootElement.GetProperty(metric).GetDouble(), rerankDoc.RootElement.GetProperty("bm25").GetProperty(metric).GetDouble());
        }

        Assert.Equal("bm25", rerankDoc.RootElement.GetProperty("first_stage").GetString());
    }

    [Fact]
    public void EvalRerank_Json_HasTheKeysOfEvalBm25PerSide()
    {
        var jsonPath = Path.Combine(_temp.Path, "keys.json");

        var result = CliRunner.Run("eval", "rerank", "--model", bundle.Directory, "--data", WriteCollection(), "--candidates", WriteCandidates(), "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        foreach (var side in new[] { "bm25", "rerank" })
        {
            var keys = root.GetProperty(side).EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(["ndcg@10", "mrr@10", "recall@100", "map@100", "queries", "metrics"], keys);
            Assert.All(keys[..4], key => Assert.Equal(JsonValueKind.Number, root.GetProperty(side).GetProperty(key).ValueKind));
        }

        Assert.Equal(2, root.GetProperty("queries").GetInt32());
        Assert.Equal(100, root.GetProperty("window").GetInt32());
        Assert.Equal("float16", root.GetProperty("projection_encoding").GetString());
        Assert.Equal("asym", root.GetProperty("branch").GetString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle.Directory, "manifest.json")));
        Assert.Equal(manifest.RootElement.GetProperty("modelId").GetString(), root.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("q1 Q0 d1 first 1.5 run\n", 1, "rank 'first' is not an integer")]
    [InlineData("q1 Q0 d1 1 2.5 run\nq1 Q0 d2 2 high run\n", 2, "score 'high' is not a finite number")]
    [InlineData("q1 Q0 d1 1 2.5\n", 1, "expected 6 columns (qid Q0 docid rank score tag), found 5")]
    public void EvalRerank_MalformedCandidateLine_FailsNamingFileLineAndField(string content, int line, string message)
    {
        var candidates = _temp.WriteFile("bad.run", content);

        var result = CliRunner.Run("eval", "rerank", "--model", bundle.Directory, "--data", WriteCollection(), "--candidates", candidates);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {candidates}:{line}: {message}{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void EvalRerank_CandidateNotInCorpus_FailsNamingRunAndDocument()
    {
        var candidates = _temp.WriteFile("unknown.run", "q1 Q0 d1 1 2.5 run\nq1 Q0 nowhere 2 2.0 run\n");

        var result = CliRunner.Run("eval", "rerank", "--model", bundle.Directory, "--data", WriteCollection(), "--candidates", candidates);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {candidates}: document 'nowhere' is not in ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalRerank_CandidateListedTwice_FailsNamingQueryAndDocument()
    {
        var candidates = _temp.WriteFile("twice.run", "q1 Q0 d1 1 2.5 run\nq1 Q0 d1 2 2.0 run\n");

        var result = CliRunner.Run("eval", "rerank", "--model", bundle.Directory, "--data", WriteCollection(), "--candidates", candidates);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {candidates}: query 'q1' lists document 'd1' twice{Environment.NewLine}", result.Error);
    }

    [Theory]
    [InlineData(new[] { "--window", "0" }, "--window must be from 1 to 1000 (is 0).")]
    [InlineData(new[] { "--window", "1001" }, "--window must be from 1 to 1000 (is 1001).")]
    [InlineData(new[] { "--window", "abc" }, "abc")]
    [InlineData(new[] { "--linear-weight", "1.5" }, "--linear-weight must be from 0 to 1 (is 1.5).")]
    [InlineData(new[] { "--score-mode", "max" }, "max")]
    [InlineData(new[] { "--projection-encoding", "int4" }, "int4")]
    [InlineData(new[] { "--index", "docs" }, "--index needs --sidecar.")]
    [InlineData(new[] { "--first-stage-run", "x.run" }, "--first-stage-run needs --sidecar.")]
    public void EvalRerank_InvalidOfflineOption_FailsWithoutRunning(string[] extra, string message)
    {
        var result = CliRunner.Run(["eval", "rerank", "--model", bundle.Directory, "--data", _temp.Path, .. extra]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("encoding", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--sidecar", "http://127.0.0.1:9" }, "--sidecar needs --index (the index to search).")]
    [InlineData(new[] { "--sidecar", "http://127.0.0.1:9", "--index", "docs", "--score-mode", "rrf" }, "--score-mode is not supported with --sidecar (the sidecar uses the index's _meta.rerank).")]
    [InlineData(new[] { "--sidecar", "http://127.0.0.1:9", "--index", "docs", "--candidates", "c.run" }, "--candidates is not supported with --sidecar (the sidecar uses the index's _meta.rerank).")]
    [InlineData(new[] { "--sidecar", "http://127.0.0.1:9", "--index", "docs", "--k1", "0.9" }, "--k1 is not supported with --sidecar (the sidecar uses the index's _meta.rerank).")]
    [InlineData(new[] { "--sidecar", "ftp://127.0.0.1", "--index", "docs" }, "--sidecar: 'ftp://127.0.0.1' is not an absolute http or https URL.")]
    [InlineData(new string[0], "--model is required (or --baseline cosine with --checkpoint, or --sidecar with --index).")]
    public void EvalRerank_InvalidModeCombination_FailsNamingTheOption(string[] extra, string message)
    {
        var result = CliRunner.Run(["eval", "rerank", "--data", _temp.Path, .. extra]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalRerank_SidecarNotListening_FailsNamingTheUrl()
    {
        // Port 9 (discard) on loopback: nothing listens there in a test environment, so the connection is refused.
        var result = CliRunner.Run("eval", "rerank", "--data", WriteCollection(), "--sidecar", "http://127.0.0.1:9", "--index", "docs", "--timeout", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: GET http://127.0.0.1:9/docs/_mapping: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalRerank_QueryTemplateWithoutPlaceholder_FailsNamingTheFile()
    {
        var template = _temp.WriteFile("template.json", "{\"query\": {\"match_all\": {}}}");

        var result = CliRunner.Run("eval", "rerank", "--data", WriteCollection(), "--sidecar", "http://127.0.0.1:9", "--index", "docs", "--query-template", template);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {template}: the template has no {{{{query}}}} placeholder{Environment.NewLine}", result.Error);
    }

    [Fact]
    public void EvalRerank_Help_PrintsUsage()
    {
        var result = CliRunner.Run("eval", "rerank", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--query-template", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The reranked windows computed here without the command: texts joined by hand, the model loaded on its own,
    /// projections rounded through System.Half, logits from Score, and each score mode's formula written out.
    /// </summary>
    private Dictionary<string, List<(string Document, double Score)>> ExpectedRerank(string mode, double weight, int k, int window)
    {
        using var model = StudentModel.Load(bundle.Directory, new StudentModelOptions { PreferGpu = false });
        var texts = Documents.ToDictionary(d => d.Id, d => d.Title.Length == 0 ? d.Text : d.Title + " " + d.Text);
        var expected = new Dictionary<string, List<(string, double)>>();
        foreach (var (queryId, queryText) in Queries)
        {
            var candidates = Candidates.Where(c => c.Query == queryId).Take(window).ToArray();
            if (candidates.Length == 0)
            {
                continue;
            }

            var encoded = model.EncodePassages([.. candidates.Select(c => texts[c.Document])]);
            var projections = encoded.Projections.Select(v => (float)(Half)v).ToArray();
            var logits = new float[candidates.Length];
            model.Score(model.EncodeQueries([queryText]), projections, StudentBranch.Asymmetric, logits);

            var n = candidates.Length;
            var modelRank = Enumerable.Range(0, n).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = mode switch
                {
                    "model" => 1 / (1 + Math.Exp(-logits[i])),
                    "linear" => (weight * Normalise(logits[i], logits.Select(l => (double)l))) + ((1 - weight) * Normalise(candidates[i].Score, candidates.Select(c => (double)c.Score))),
                    _ => (1.0 / (k + Array.IndexOf(modelRank, i) + 1)) + (1.0 / (k + i + 1)),
                };
            }

            expected[queryId] = [.. Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).Select(i => (candidates[i].Document, scores[i]))];
        }

        return expected;
    }

    private static double Normalise(double value, IEnumerable<double> all)
    {
        var (min, max) = (all.Min(), all.Max());
        return max > min ? (value - min) / (max - min) : 1;
    }

    /// <summary>Means over the evaluated queries (q1, q2) of IrMetrics on <paramref name="rankings"/>, against the JSON side.</summary>
    private static void AssertMetrics(JsonElement side, Dictionary<string, string[]> rankings)
    {
        var evaluated = Judgments.Where(j => j.Value.Values.Any(g => g > 0)).ToArray();
        double Mean(Func<IReadOnlyList<string>, IReadOnlyDictionary<string, int>, int, double> metric, int at) =>
            evaluated.Average(j => metric(rankings.TryGetValue(j.Key, out var r) ? r : [], j.Value, at));

        Assert.Equal(Mean(IrMetrics.Ndcg, 10), side.GetProperty("ndcg@10").GetDouble(), 12);
        Assert.Equal(Mean(IrMetrics.ReciprocalRank, 10), side.GetProperty("mrr@10").GetDouble(), 12);
        Assert.Equal(Mean(IrMetrics.Recall, 100), side.GetProperty("recall@100").GetDouble(), 12);
        Assert.Equal(Mean(IrMetrics.AveragePrecision, 100), side.GetProperty("map@100").GetDouble(), 12);
        Assert.Equal(Mean(IrMetrics.Ndcg, 3), side.GetProperty("metrics").GetProperty("ndcg@3").GetDouble(), 12);
    }

    private static Dictionary<string, List<(string Document, double Score)>> ReadRun(string path)
    {
        var run = new Dictionary<string, List<(string, double)>>();
        foreach (var columns in File.ReadAllLines(path).Select(l => l.Split(' ')))
        {
            if (!run.TryGetValue(columns[0], out var list))
            {
                run[columns[0]] = list = [];
            }

            Assert.Equal(list.Count + 1, int.Parse(columns[3], CultureInfo.InvariantCulture));
            list.Add((columns[2], double.Parse(columns[4], CultureInfo.InvariantCulture)));
        }

        return run;
    }

    private string WriteCollection()
    {
        var builder = new BeirFolderBuilder();
        foreach (var (id, title, text) in Documents)
        {
            builder.Document(id, title, text);
        }

        foreach (var (id, text) in Queries)
        {
            builder.Query(id, text);
        }

        foreach (var (query, judged) in Judgments)
        {
            foreach (var (document, grade) in judged)
            {
                builder.Judgment(query, document, grade);
            }
        }

        return builder.WriteTo(Path.Combine(_temp.Path, "data-" + Guid.NewGuid().ToString("N")[..8]));
    }

    private string WriteCandidates() => _temp.WriteFile(
        "candidates-" + Guid.NewGuid().ToString("N")[..8] + ".run",
        string.Concat(Candidates.GroupBy(c => c.Query).SelectMany(g => g.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c.Query} Q0 {c.Document} {i + 1} {c.Score} hand\n")))));
}
