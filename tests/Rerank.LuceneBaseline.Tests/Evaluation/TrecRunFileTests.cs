using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Search;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Tests.Evaluation;

public sealed class TrecRunFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_ProducesTrecLinesInQueryOrder()
    {
        var run = new Dictionary<string, IReadOnlyList<ScoredDocument>>
        {
            ["q2"] = [new("d9", 0.5f)],
            ["q1"] = [new("d1", 2.25f), new("d2", 1f)],
        };
        var writer = new StringWriter();

        TrecRunFile.Write(writer, run, "tag");

        Assert.Equal("q1 Q0 d1 1 2.25 tag\nq1 Q0 d2 2 1 tag\nq2 Q0 d9 1 0.5 tag\n", writer.ToString());
    }

    [Fact]
    public void Read_TabsAndSpaces_ReturnsDocumentsInRankOrder()
    {
        var path = _temp.WriteFile("run.txt", "q1\tQ0\td2\t2\t1.5\tx\nq1 Q0 d1 1 3.25 x\n\nq2 Q0 d3 1 -0.5 x\n");

        var run = TrecRunFile.Read(path);

        Assert.Equal([new ScoredDocument("d1", 3.25f), new ScoredDocument("d2", 1.5f)], run["q1"]);
        Assert.Equal([new ScoredDocument("d3", -0.5f)], run["q2"]);
    }

    [Theory]
    [InlineData("q1 Q0 d1 1 2.0\n", "expected 6 columns")]
    [InlineData("q1 Q0 d1 one 2.0 x\n", "rank 'one'")]
    [InlineData("q1 Q0 d1 1 high x\n", "score 'high'")]
    public void Read_MalformedLine_NamesFileAndLine(string badLine, string problem)
    {
        var path = _temp.WriteFile("bad.txt", "q0 Q0 d0 1 1.0 x\n" + badLine);

        var error = Assert.Throws<FormatException>(() => TrecRunFile.Read(path));

        Assert.StartsWith($"{path}:2: ", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
