using System.Text;
using Rerank.Model.Pretrained;

namespace Rerank.Model.Tests.Pretrained;

/// <summary>The restored packages' resources, against the facts of bert-base-uncased's vocabulary and the ONNX format.</summary>
public sealed class PretrainedPackagesTests
{
    public static TheoryData<string> Encoders => [.. PretrainedEncoders.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Encoders))]
    public void ReadResource_Vocabulary_IsBertBaseUncased(string name)
    {
        var encoder = PretrainedEncoders.Find(name)!;

        var lines = Encoding.UTF8.GetString(PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource))
            .Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        // bert-base-uncased: 30,522 tokens, one per line; [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103.
        Assert.Equal(30_522, lines.Count(l => l.Length > 0));
        Assert.Equal(("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), (lines[0], lines[100], lines[101], lines[102], lines[103]));
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void ReadResource_Model_IsAnOnnxProtobuf(string name)
    {
        var encoder = PretrainedEncoders.Find(name)!;

        var bytes = PretrainedPackages.ReadResource(encoder, encoder.ModelResource);
        var model = Rerank.Model.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);

        Assert.True(bytes.Length > 80_000_000, $"{bytes.Length} bytes");
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], model.Graph.Input.Select(i => i.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void ReadResource_UnknownName_NamesWhatTheAssemblyHas()
    {
        var encoder = PretrainedEncoders.MiniLm;

        var exception = Assert.Throws<InvalidDataException>(() => PretrainedPackages.ReadResource(encoder, "nope.bin"));

        Assert.Contains("no embedded resource nope.bin", exception.Message, StringComparison.Ordinal);
        Assert.Contains(encoder.VocabularyResource, exception.Message, StringComparison.Ordinal);
    }
}
