using System.Buffers.Binary;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Weights;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Checkpoints;

/// <summary>src/Model's managed checkpoint reader on small BERT checkpoints written with the checkpoint writer.</summary>
public sealed class HfCheckpointReaderTests : IDisposable
{
    private static readonly BackboneConfig Bert = new()
    {
        Architecture = BackboneArchitecture.Bert,
        VocabSize = 40,
        HiddenSize = 8,
        IntermediateSize = 16,
        NumLayers = 2,
        NumHeads = 2,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 12,
        TypeVocabSize = 2,
        LayerNormEps = 1e-12,
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadWeights_Float32_EveryParameterExactly()
    {
        var weights = BertWeights.CreateRandom(Bert, seed: 3);
        Write(weights, SafetensorsDtype.F32);

        var (config, read) = HfCheckpointReader.ReadWeights(_temp.Path);

        Assert.Equal(BackboneArchitecture.Bert, config.Decoder.Architecture);
        Assert.Equal(BertWeights.ParameterShapes(Bert).Select(p => p.Name), read.Names);
        foreach (var tensor in weights.Tensors)
        {
            Assert.Equal(tensor.Values, read.Get(tensor.Name, tensor.Shape).Values);
        }
    }

    [Theory]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void ReadWeights_HalfPrecision_ConvertedToSingles(string dtypeName)
    {
        var dtype = dtypeName == "F16" ? SafetensorsDtype.F16 : SafetensorsDtype.BF16;
        var weights = BertWeights.CreateRandom(Bert, seed: 4);
        Write(weights, dtype);

        var (_, read) = HfCheckpointReader.ReadWeights(_temp.Path);

        // Independent of FloatConversion: .NET's Half for float16; for bfloat16 the rounded upper half of the bits
        // (round to nearest, ties to even), which is exact here since no weight is NaN or near the overflow.
        foreach (var tensor in weights.Tensors)
        {
            var expected = tensor.Values.Select(v => dtype == SafetensorsDtype.F16 ? (float)(Half)v : RoundToBFloat16(v)).ToArray();
            Assert.Equal(expected, read.Get(tensor.Name, tensor.Shape).Values);
        }
    }

    [Fact]
    public void ReadWeights_Sharded_ReadsEveryShard()
    {
        var weights = BertWeights.CreateRandom(Bert, seed: 5);
        var files = Write(weights, SafetensorsDtype.F32, shardBytes: 1024);

        var (_, read) = HfCheckpointReader.ReadWeights(_temp.Path);

        Assert.True(files.Count > 2, $"{files.Count} weight files");
        Assert.Equal(weights.Count, read.Count);
        var word = weights.Get("embeddings.word_embeddings.weight", 40, 8);
        Assert.Equal(word.Values, read.Get(word.Name, 40, 8).Values);
    }

    [Fact]
    public void Open_ExtraPoolerTensors_ListedAsUnused()
    {
        var weights = BertWeights.CreateRandom(Bert, seed: 6);
        weights.Add("pooler.dense.weight", [8, 8], new float[64]);
        Write(weights, SafetensorsDtype.F32);

        using var reader = HfCheckpointReader.Open(_temp.Path);

        Assert.Equal(["pooler.dense.weight"], reader.UnusedTensors);
    }

    [Fact]
    public void Open_MissingAndMisshapenTensors_NamesFileAndTensor()
    {
        var weights = new WeightSet(BertWeights.CreateRandom(Bert, seed: 7).Tensors
            .Where(t => t.Name != "encoder.layer.1.output.dense.bias")
            .Select(t => t.Name == "embeddings.position_embeddings.weight" ? new WeightTensor(t.Name, [10, 8], new float[80]) : t));
        Write(weights, SafetensorsDtype.F32);

        var exception = Assert.Throws<CheckpointException>(() => HfCheckpointReader.Open(_temp.Path));

        var file = Path.Combine(_temp.Path, "model.safetensors");
        Assert.Contains($"{file}: tensor 'embeddings.position_embeddings.weight' has shape [10, 8], config.json expects [12, 8]", exception.Problems);
        Assert.Contains($"{_temp.Path}: tensor 'encoder.layer.1.output.dense.bias' is missing (looked in model.safetensors)", exception.Problems);
        Assert.Equal(2, exception.Problems.Count);
    }

    [Fact]
    public void Open_NoWeights_NamesTheDirectory()
    {
        Write(BertWeights.CreateRandom(Bert, seed: 8), SafetensorsDtype.F32);
        File.Delete(Path.Combine(_temp.Path, "model.safetensors"));

        var exception = Assert.Throws<CheckpointException>(() => HfCheckpointReader.Open(_temp.Path));

        Assert.StartsWith($"{_temp.Path}: neither model.safetensors nor model.safetensors.index.json is there", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoConfig_NamesTheFile()
    {
        var exception = Assert.Throws<CheckpointException>(() => HfCheckpointReader.Open(_temp.Path));

        Assert.Equal($"{Path.Combine(_temp.Path, "config.json")}: not found", Assert.Single(exception.Problems));
    }

    private static float RoundToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var upper = bits >> 16;
        var lower = bits & 0xFFFF;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1))
        {
            upper++;
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, upper << 16);
        return BinaryPrimitives.ReadSingleLittleEndian(bytes);
    }

    private IReadOnlyList<string> Write(WeightSet weights, SafetensorsDtype dtype, long? shardBytes = null)
    {
        var config = new HfModelConfig { Decoder = Bert, PadTokenId = 0, TorchDtype = dtype };
        var entries = weights.Tensors.Select(t => SafetensorsWriteEntry.FromSingles(t.Name, dtype, t.Shape, t.Values)).ToList();
        return HfCheckpointWriter.Write(_temp.Path, config, entries, shardBytes);
    }
}
