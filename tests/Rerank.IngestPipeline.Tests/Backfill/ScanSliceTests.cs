using Rerank.IngestPipeline.Backfill;

namespace Rerank.IngestPipeline.Tests.Backfill;

public sealed class ScanSliceTests
{
    [Theory]
    [InlineData("0/2", 0, 2)]
    [InlineData("3/4", 3, 4)]
    public void Parse_IOfN_GivesTheSlice(string text, int id, int max) =>
        Assert.Equal(new ScanSlice(id, max), ScanSlice.Parse(text));

    [Theory]
    [InlineData("2/2")]
    [InlineData("0/1")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    [InlineData("a/2")]
    public void Parse_NotASlice_ThrowsNamingTheOption(string text)
    {
        var exception = Assert.Throws<ArgumentException>(() => ScanSlice.Parse(text));
        Assert.StartsWith("--slice", exception.Message, StringComparison.Ordinal);
    }
}
