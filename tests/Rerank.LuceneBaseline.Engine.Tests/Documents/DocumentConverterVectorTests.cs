using System.Buffers.Binary;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using static Rerank.LuceneBaseline.Engine.Tests.Documents.DocumentConverterTests;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

/// <summary>dense_vector: Elasticsearch 8.11+ DenseVectorFieldMapper's checks and messages.</summary>
public sealed class DocumentConverterVectorTests
{
    [Fact]
    public void Convert_MoreDimensions_FailsAtTheFirstExtraElement()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":[1,2,3]}"""));

        // {"v":[1,2,3] -- the 3 is byte 11.
        Assert.Equal("[1:11] failed to parse: The [dense_vector] field [v] in doc [document with id '1'] has more dimensions than defined in the mapping [2]", error.Reason);
        Assert.Equal("illegal_argument_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_CosineZeroVector_IsRejectedWithPreview()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":[0,0]}"""));

        Assert.Equal("[1:10] failed to parse: The [cosine] similarity does not support vectors with zero magnitude. Preview of invalid vector: [0.0, 0.0]", error.Reason);
    }

    [Fact]
    public void Convert_DotProductZeroVectorOfFive_PreviewEndsWithEllipsis()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":5,"similarity":"dot_product"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":[0,0,0,0,0]}"""));

        // Elasticsearch appends ", ..." once the vector has five elements, even when all five are shown.
        Assert.EndsWith(
            "failed to parse: The [dot_product] similarity does not support vectors with zero magnitude. Preview of invalid vector: [0.0, 0.0, 0.0, 0.0, 0.0, ...]",
            error.Reason,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_DotProductNonUnitVector_IsScaledToUnitLength()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2,"similarity":"dot_product"}}}""");

        var converted = Convert(mapping, """{"v":[3,4]}""");
        using var probe = new LuceneProbe(mapping, converted.Document);

        var bytes = probe.Binary("v#dv")!;
        Assert.Equal(3f / 5f, BinaryPrimitives.ReadSingleLittleEndian(bytes));
        Assert.Equal(4f / 5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4)));
        Assert.Equal("""{"v":[3,4]}""", System.Text.Encoding.UTF8.GetString(converted.SourceBytes));
    }

    [Fact]
    public void Convert_NotIndexedVector_IsStoredAsSentWithoutMagnitudeChecks()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2,"index":false}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"v":[0,0]}""").Document);

        Assert.Equal(new byte[8], probe.Binary("v#dv"));
    }

    [Fact]
    public void Convert_VectorWithoutDims_TakesThemFromTheFirstDocument()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","similarity":"l2_norm"}}}""");

        var converted = Convert(mapping, """{"v":[1,2,3]}""");

        Assert.True(converted.MappingChanged);
        Assert.Equal(3, converted.Mapping.Find("v")!.Dims);
        Assert.Null(mapping.Find("v")!.Dims);
        var error = Assert.Throws<EngineException>(() => Convert(converted.Mapping, """{"v":[1,2]}"""));
        Assert.Contains("has a different number of dimensions [2] than defined in the mapping [3]", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_TwoVectorsForOneField_AreRejected()
    {
        var mapping = ParseMapping("""{"properties":{"o":{"properties":{"v":{"type":"dense_vector","dims":2,"similarity":"l2_norm"}}}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"o":[{"v":[1,2]},{"v":[3,4]}]}"""));

        // Elasticsearch's own wording, "doesn't not" included.
        Assert.Equal(
            "[1:24] failed to parse: Field [o.v] of type [dense_vector] doesn't not support indexing multiple values for the same field in the same document",
            error.Reason);
    }

    [Fact]
    public void Convert_NonNumericElement_ExpectingValueNumber()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":["a",2]}"""));

        Assert.Equal("[1:7] failed to parse: Failed to parse object: expecting token of type [VALUE_NUMBER] but found [VALUE_STRING]", error.Reason);
        Assert.Equal("parsing_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_FloatOverflowInVector_InfiniteValues()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":2,"similarity":"l2_norm"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":[1e39,1]}"""));

        Assert.EndsWith(
            "failed to parse: element_type [float] vectors do not support infinite values but found [Infinity] at dim [0]; Preview of invalid vector: [Infinity, 1.0]",
            error.Reason,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_UnmappedArrayOf128Floats_IsMappedAsDenseVector()
    {
        var floats = "[" + string.Join(',', Enumerable.Repeat("0.5", 128)) + "]";

        var converted = Convert(IndexMapping.Empty, "{\"v\":" + floats + "}");

        var v = converted.Mapping.Find("v")!;
        Assert.Equal(FieldType.DenseVector, v.Type);
        Assert.Equal(128, v.Dims);
        Assert.True(v.Index);
        Assert.Equal(VectorSimilarity.Cosine, v.Similarity);
        using var probe = new LuceneProbe(converted.Mapping, converted.Document);
        Assert.Equal(128 * 4, probe.Binary("v#dv")!.Length);
    }

    [Theory]
    [InlineData(127, "0.5", nameof(FieldType.Float))]
    [InlineData(128, "1", nameof(FieldType.Long))]
    public void Convert_OtherUnmappedNumberArrays_TakeTheElementType(int count, string element, string expected)
    {
        var values = "[" + string.Join(',', Enumerable.Repeat(element, count)) + "]";

        var converted = Convert(IndexMapping.Empty, "{\"v\":" + values + "}");

        Assert.Equal(Enum.Parse<FieldType>(expected), converted.Mapping.Find("v")!.Type);
    }
}
