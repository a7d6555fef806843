using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

public sealed class ByteSizeTests
{
    // Elasticsearch's ByteSizeValue text: the largest unit, one decimal, a whole number without ".0".
    [Theory]
    [InlineData(0L, null, "0b")]
    [InlineData(225L, null, "225b")]
    [InlineData(1024L, null, "1kb")]
    [InlineData(90_214L, null, "88.1kb")]
    [InlineData(5L * 1024 * 1024 + 209_715L, null, "5.2mb")]
    [InlineData(3L * 1024 * 1024 * 1024, null, "3gb")]
    [InlineData(90_214L, "b", "90214")]
    [InlineData(90_214L, "kb", "88")]
    [InlineData(90_214L, "mb", "0")]
    public void ByteSize_Table(long bytes, string? unit, string expected) => Assert.Equal(expected, CatIndicesHandler.ByteSize(bytes, unit));
}
