using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Tests.Search;

public sealed class ScoredDocumentTests
{
    [Fact]
    public void Equality_SameIdAndScore_AreEqual()
    {
        Assert.Equal(new ScoredDocument("d1", 1.5f), new ScoredDocument("d1", 1.5f));
        Assert.NotEqual(new ScoredDocument("d1", 1.5f), new ScoredDocument("d2", 1.5f));
    }
}
