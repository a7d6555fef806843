using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Tests.Documents;

namespace Rerank.LuceneBaseline.Engine.Tests.Mapping;

public sealed class MappingAnalyzerTests
{
    [Fact]
    public void Tokenize_TextFieldWithEnglish_StemsWhileKeywordStaysWhole()
    {
        var mapping = DocumentConverterTests.ParseMapping("""{"properties":{"t":{"type":"text","analyzer":"english"},"k":{"type":"keyword"}}}""");
        using var analyzer = new MappingAnalyzer(() => mapping);

        Assert.Equal(["run", "dog"], AnalyzerFactory.Tokenize(analyzer, "t", "The running dogs"));
        Assert.Equal(["The running dogs"], AnalyzerFactory.Tokenize(analyzer, "k", "The running dogs"));
        Assert.Equal(["The running dogs"], AnalyzerFactory.Tokenize(analyzer, "unmapped", "The running dogs"));
    }

    [Theory]
    [InlineData("cjk", "東京都 Tokyo", new[] { "東京", "京都", "tokyo" })]
    [InlineData("whitespace", "Foo-Bar baz", new[] { "Foo-Bar", "baz" })]
    [InlineData("simple", "Foo-Bar 42baz", new[] { "foo", "bar", "baz" })]
    [InlineData("stop", "The quick and the dead", new[] { "quick", "dead" })]
    [InlineData("keyword", "Foo Bar", new[] { "Foo Bar" })]
    [InlineData("standard", "The quick and the dead", new[] { "the", "quick", "and", "the", "dead" })]
    public void Tokenize_EachBuiltInAnalyzer_ProducesElasticsearchsTokens(string analyzerName, string text, string[] expected)
    {
        var mapping = DocumentConverterTests.ParseMapping("""{"properties":{"t":{"type":"text","analyzer":"NAME"}}}""".Replace("NAME", analyzerName, StringComparison.Ordinal));
        using var analyzer = new MappingAnalyzer(() => mapping);

        Assert.Equal(expected, AnalyzerFactory.Tokenize(analyzer, "t", text));
    }

    [Fact]
    public void Tokenize_TextMultiField_UsesItsOwnAnalyzer()
    {
        var mapping = DocumentConverterTests.ParseMapping("""{"properties":{"t":{"type":"text","fields":{"en":{"type":"text","analyzer":"english"},"raw":{"type":"keyword"}}}}}""");
        using var analyzer = new MappingAnalyzer(() => mapping);

        Assert.Equal(["the", "dogs"], AnalyzerFactory.Tokenize(analyzer, "t", "The dogs"));
        Assert.Equal(["dog"], AnalyzerFactory.Tokenize(analyzer, "t.en", "The dogs"));
        Assert.Equal(["The dogs"], AnalyzerFactory.Tokenize(analyzer, "t.raw", "The dogs"));
    }

    [Fact]
    public void Index_CustomPositionIncrementGap_IsUsedBetweenValues()
    {
        var mapping = DocumentConverterTests.ParseMapping("""{"properties":{"names":{"type":"text","position_increment_gap":0}}}""");
        var converted = DocumentConverter.Convert(mapping, "test", "1", JsonNode.Parse("""{"names":["John Abraham","Lincoln Smith"]}""")!.AsObject(), new DocumentVersion(0, 1, 1));

        using var probe = new LuceneProbe(mapping, converted.Document);

        // Gap 0: lincoln follows abraham directly, so "Abraham Lincoln" matches as a phrase (Elasticsearch's example).
        Assert.Equal([2], probe.Positions("names", "lincoln"));
    }

    [Fact]
    public void Tokenize_FieldMappedAfterFirstUse_UsesTheNewAnalyzer()
    {
        var mapping = IndexMapping.Empty;
        using var analyzer = new MappingAnalyzer(() => mapping);
        Assert.Equal(["Hello World"], AnalyzerFactory.Tokenize(analyzer, "t", "Hello World"));

        mapping = DocumentConverterTests.ParseMapping("""{"properties":{"t":{"type":"text"}}}""");

        Assert.Equal(["hello", "world"], AnalyzerFactory.Tokenize(analyzer, "t", "Hello World"));
    }

    [Fact]
    public void Index_MultiValuedText_LeavesTheDefaultGapOfOneHundredPositions()
    {
        var mapping = DocumentConverterTests.ParseMapping("""{"properties":{"names":{"type":"text"}}}""");
        var converted = DocumentConverter.Convert(mapping, "test", "1", JsonNode.Parse("""{"names":["John Abraham","Lincoln Smith"]}""")!.AsObject(), new DocumentVersion(0, 1, 1));

        using var probe = new LuceneProbe(mapping, converted.Document);

        // Elasticsearch's _analyze of the position_increment_gap example: john 0, abraham 1, then 1 + 1 + 100 = 102.
        Assert.Equal([0], probe.Positions("names", "john"));
        Assert.Equal([1], probe.Positions("names", "abraham"));
        Assert.Equal([102], probe.Positions("names", "lincoln"));
        Assert.Equal([103], probe.Positions("names", "smith"));
    }
}
