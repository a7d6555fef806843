using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Backbones;

public sealed class BertModelTests(ITestOutputHelper output) : IDisposable
{
    private const double ReferenceTolerance = 1e-4;
    private const double PaddingTolerance = 1e-5;

    // Lengths 7, 3 and 5: rows 1 and 2 are padded on the right.
    private static readonly long[][] Batch = [[2, 9, 14, 40, 33, 21, 3], [2, 19, 3], [2, 48, 6, 27, 3]];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ParameterNames_TwoLayers_AreTransformersBertModelNamesAndShapes()
    {
        var config = TinyBert.Config(vocabSize: 64);
        using var model = new BertModel(config);

        // Written out by hand from transformers' modeling_bert.py (BertModel without its pooler) for hidden 32,
        // intermediate 48, 64 positions, 2 token types, vocabulary 64.
        var expected = new List<string>
        {
            "embeddings.word_embeddings.weight [64, 32]",
            "embeddings.position_embeddings.weight [64, 32]",
            "embeddings.token_type_embeddings.weight [2, 32]",
            "embeddings.LayerNorm.weight [32]",
            "embeddings.LayerNorm.bias [32]",
        };
        for (var i = 0; i < 2; i++)
        {
            var p = $"encoder.layer.{i}.";
            expected.AddRange(
            [
                p + "attention.self.query.weight [32, 32]", p + "attention.self.query.bias [32]",
                p + "attention.self.key.weight [32, 32]", p + "attention.self.key.bias [32]",
                p + "attention.self.value.weight [32, 32]", p + "attention.self.value.bias [32]",
                p + "attention.output.dense.weight [32, 32]", p + "attention.output.dense.bias [32]",
                p + "attention.output.LayerNorm.weight [32]", p + "attention.output.LayerNorm.bias [32]",
                p + "intermediate.dense.weight [48, 32]", p + "intermediate.dense.bias [48]",
                p + "output.dense.weight [32, 48]", p + "output.dense.bias [32]",
                p + "output.LayerNorm.weight [32]", p + "output.LayerNorm.bias [32]",
            ]);
        }

        Assert.Equal(expected, model.named_parameters().Select(p => $"{p.name} {SafetensorsTensorInfo.FormatShape(p.parameter.shape)}"));
        Assert.Equal(expected, BertWeights.ParameterShapes(config).Select(p => $"{p.Name} {SafetensorsTensorInfo.FormatShape(p.Shape)}"));
    }

    [Fact]
    public void Forward_RightPaddedBatch_EachRealRowEqualsTheFloat64ReferenceOfItsTextAlone()
    {
        var config = TinyBert.Config();
        var weights = TinyBert.Weights(config, seed: 41);
        using var model = BertModel.Create(config, weights);
        var (ids, mask) = DecoderModelTests.Padded(Batch);

        var hidden = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);

        var seq = Batch.Max(s => s.Length);
        var worst = 0.0;
        var spread = 0.0;
        for (var b = 0; b < Batch.Length; b++)
        {
            var reference = BertReference.Forward(config, weights, Batch[b]);
            for (var i = 0; i < reference.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(hidden[(b * seq * 32) + i] - reference[i]));
                spread = Math.Max(spread, Math.Abs(reference[i]));
            }
        }

        output.WriteLine($"TorchSharp float32 vs float64 reference: max abs diff {worst:E2} (values up to {spread:F2})");
        Assert.True(worst <= ReferenceTolerance, $"max abs diff {worst:E2}");
        Assert.True(spread > 0.5, "the states should not be near zero");
        Assert.All(hidden, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Forward_PaddedKeys_AreHiddenWhateverTheirIdsButAMaskOfOnesSeesThem()
    {
        var config = TinyBert.Config();
        using var model = BertModel.Create(config, TinyBert.Weights(config, seed: 42));
        var (ids, mask) = DecoderModelTests.Padded(Batch);
        var otherPads = (long[])ids.Clone();
        for (var i = 0; i < otherPads.Length; i++)
        {
            otherPads[i] = mask[i] == 0 ? 17 : ids[i];
        }

        var padded = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);
        var repadded = DecoderModelTests.RunModel(model, otherPads, mask, Batch.Length);
        var unmasked = DecoderModelTests.RunModel(model, ids, [.. mask.Select(_ => 1L)], Batch.Length);

        // Row 1 (3 real tokens of 7) alone equals its padded row; with the mask all ones its pads are attended and it differs.
        var alone = DecoderModelTests.RunModel(model, Batch[1], [.. Batch[1].Select(_ => 1L)], 1);
        var row1 = padded.AsSpan(7 * 32, 3 * 32).ToArray();
        Assert.True(MaxDiff(row1, alone) <= PaddingTolerance, $"padded vs alone {MaxDiff(row1, alone):E2}");
        Assert.True(MaxDiff(RealRows(padded, mask), RealRows(repadded, mask)) <= PaddingTolerance);
        Assert.True(MaxDiff(row1, unmasked.AsSpan(7 * 32, 3 * 32).ToArray()) > 1e-2, "attending the pads must change the states");
    }

    [Fact]
    public void Load_CheckpointFromHfCheckpointWriter_EqualsTheWeightSetModelAndIsABertModel()
    {
        var texts = new[] { "the quick brown fox jumps over the lazy dog" };
        var config = TinyBert.WriteCheckpoint(_temp.Path, texts, seed: 43);
        using var loaded = BackboneModel.Load(_temp.Path);
        using var created = BertModel.Create(config, TinyBert.Weights(config, seed: 43));
        var (ids, mask) = DecoderModelTests.Padded(Batch);

        Assert.IsType<BertModel>(loaded);
        Assert.Equal(config, loaded.Config);
        Assert.Equal(DecoderModelTests.RunModel(created, ids, mask, Batch.Length), DecoderModelTests.RunModel(loaded, ids, mask, Batch.Length));
        Assert.False(File.Exists(Path.Combine(_temp.Path, CheckpointFiles.GenerationConfig)));
    }

    [Fact]
    public void Constructors_OtherFamilysConfig_AreRefusedAndCreateDispatchesByArchitecture()
    {
        var bert = TinyBert.Config();
        var llama = new BackboneConfig { Architecture = BackboneArchitecture.Llama, VocabSize = 64, HiddenSize = 32, IntermediateSize = 48, NumLayers = 1, NumHeads = 4, NumKeyValueHeads = 2 };

        Assert.Contains("not a bert one", Assert.Throws<ArgumentException>(() => new BertModel(llama)).Message, StringComparison.Ordinal);
        Assert.Contains("not a decoder one", Assert.Throws<ArgumentException>(() => new DecoderModel(bert)).Message, StringComparison.Ordinal);
        using var encoder = BackboneModel.Create(bert);
        using var decoder = BackboneModel.Create(llama);
        Assert.IsType<BertModel>(encoder);
        Assert.IsType<DecoderModel>(decoder);
    }

    [Fact]
    public void Forward_SequenceLongerThanThePositions_IsRefusedNamingTheLimit()
    {
        var config = TinyBert.Config(maxPositions: 4);
        using var model = new BertModel(config);
        using var ids = zeros(1, 5, dtype: ScalarType.Int64);
        using var mask = ones(1, 5, dtype: ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => model.call(ids, mask));

        Assert.Contains("more than max_position_embeddings 4", error.Message, StringComparison.Ordinal);
    }

    private static float[] RealRows(float[] hidden, long[] mask) =>
        [.. hidden.Where((_, i) => mask[i / 32] != 0)];

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
