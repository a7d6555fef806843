using Rerank.LuceneBaseline.Analysis;

namespace Rerank.LuceneBaseline.Tests.Analysis;

public sealed class AnalyzerFactoryTests
{
    [Fact]
    public void Tokenize_Standard_MatchesElasticsearchReferenceExample()
    {
        // The example of Elasticsearch's "standard analyzer" reference page, with its documented output.
        using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Standard);

        var terms = AnalyzerFactory.Tokenize(analyzer, "f", "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.");

        Assert.Equal(["the", "2", "quick", "brown", "foxes", "jumped", "over", "the", "lazy", "dog's", "bone"], terms);
    }

    [Fact]
    public void Tokenize_Standard_KeepsEnglishStopWords()
    {
        using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Standard);

        var terms = AnalyzerFactory.Tokenize(analyzer, "f", "To be or not to be");

        Assert.Equal(["to", "be", "or", "not", "to", "be"], terms);
    }

    [Fact]
    public void Tokenize_Cjk_ProducesOverlappingBigramsAndKeepsLatinWords()
    {
        using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Cjk);

        var chinese = AnalyzerFactory.Tokenize(analyzer, "f", "我爱北京天安门");
        var mixed = AnalyzerFactory.Tokenize(analyzer, "f", "Lucene 搜索引擎");

        Assert.Equal(["我爱", "爱北", "北京", "京天", "天安", "安门"], chinese);
        Assert.Equal(["lucene", "搜索", "索引", "引擎"], mixed);
    }

    [Fact]
    public void Tokenize_Cjk_FoldsFullWidthLatin()
    {
        using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Cjk);

        Assert.Equal(["abc"], AnalyzerFactory.Tokenize(analyzer, "f", "ＡＢＣ"));
    }

    [Theory]
    [InlineData("standard", AnalyzerKind.Standard)]
    [InlineData("CJK", AnalyzerKind.Cjk)]
    [InlineData(" Standard ", AnalyzerKind.Standard)]
    public void Parse_KnownName_ReturnsKind(string name, AnalyzerKind expected) =>
        Assert.Equal(expected, AnalyzerFactory.Parse(name));

    [Fact]
    public void Parse_UnknownName_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => AnalyzerFactory.Parse("english"));

        Assert.Contains("'english'", error.Message);
    }
}
