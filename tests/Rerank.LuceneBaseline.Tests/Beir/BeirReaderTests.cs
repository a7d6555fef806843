using Rerank.LuceneBaseline.Beir;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Tests.Beir;

public sealed class BeirReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadCorpus_CrlfBomMetadataAndNumericId_Parses()
    {
        var path = _temp.WriteFile(
            "corpus.jsonl",
            "\uFEFF{\"_id\": \"a\", \"title\": \"T\", \"text\": \"x\", \"metadata\": {\"k\": 1}}\r\n" +
            "{\"_id\": 42, \"title\": null, \"text\": \"y\"}\r\n" +
            "{\"_id\": \"c\", \"text\": \"z\"}\r\n\r\n");

        var documents = BeirReader.ReadCorpus(path).ToList();

        Assert.Equal([new BeirDocument("a", "T", "x"), new BeirDocument("42", "", "y"), new BeirDocument("c", "", "z")], documents);
    }

    [Theory]
    [InlineData("{\"_id\": \"b\", \"text\": }", "invalid JSON")]
    [InlineData("[1, 2]", "expected a JSON object, found an array")]
    [InlineData("{\"title\": \"t\", \"text\": \"x\"}", "field '_id' is missing")]
    [InlineData("{\"_id\": true, \"text\": \"x\"}", "field '_id' must be a string or an integer, found a boolean")]
    [InlineData("{\"_id\": \"\", \"text\": \"x\"}", "field '_id' is empty")]
    [InlineData("{\"_id\": \"b\", \"title\": \"t\"}", "field 'text' is missing")]
    [InlineData("{\"_id\": \"b\", \"text\": 5}", "field 'text' must be a string, found a number")]
    [InlineData("{\"_id\": \"b\", \"text\": \"x\", \"title\": [\"t\"]}", "field 'title' must be a string, found an array")]
    [InlineData("{\"_id\": \"a\", \"text\": \"again\"}", "duplicate _id 'a', first seen on line 1")]
    public void ReadCorpus_BadLine_NamesFileLineAndProblem(string badLine, string problem)
    {
        var path = _temp.WriteFile("corpus.jsonl", "{\"_id\": \"a\", \"text\": \"x\"}\n\n" + badLine + "\n");

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadCorpus(path).ToList());

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"{path}:3: ", error.Message);
    }

    [Fact]
    public void ReadCorpus_Streams_YieldsDocumentsBeforeALaterError()
    {
        var path = _temp.WriteFile("corpus.jsonl", "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"b\", \"text\": \"y\"}\nnot json\n");
        var seen = new List<string>();

        Assert.Throws<BeirFormatException>(() =>
        {
            foreach (var document in BeirReader.ReadCorpus(path))
            {
                seen.Add(document.Id);
            }
        });

        Assert.Equal(["a", "b"], seen);
    }

    [Fact]
    public void ReadQueries_MissingText_NamesLine()
    {
        var path = _temp.WriteFile("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"one\"}\n{\"_id\": \"q2\"}\n");

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadQueries(path));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("'text' is missing", error.Problem);
    }

    [Fact]
    public void ReadQrels_GradedCrlfAndBlankLines_KeepsGrades()
    {
        var path = _temp.WriteFile("test.tsv", "query-id\tcorpus-id\tscore\r\nq1\td1\t2\r\nq1\td2\t0\r\n\r\nq2\td1\t-1\r\n");

        var qrels = BeirReader.ReadQrels(path);

        Assert.Equal(3, qrels.Count);
        Assert.Equal(2, qrels.ByQuery["q1"]["d1"]);
        Assert.Equal(0, qrels.ByQuery["q1"]["d2"]);
        Assert.Equal(-1, qrels.ByQuery["q2"]["d1"]);
    }

    [Theory]
    [InlineData("q1\td1\t1\nq2\td2\t1\n", 1, "header line (query-id, corpus-id, score) is missing")]
    [InlineData("query-id corpus-id score\n", 1, "the header must have 3 tab-separated columns")]
    [InlineData("h1\th2\th3\nq1\td1\n", 2, "expected 3 tab-separated columns (query-id, corpus-id, score), found 2")]
    [InlineData("h1\th2\th3\nq1\td1\t1\tx\n", 2, "found 4")]
    [InlineData("h1\th2\th3\nq1\td1\thigh\n", 2, "score 'high' is not an integer")]
    [InlineData("h1\th2\th3\nq1\td1\t1.5\n", 2, "score '1.5' is not an integer")]
    [InlineData("h1\th2\th3\n\td1\t1\n", 2, "query-id is empty")]
    [InlineData("h1\th2\th3\nq1\t\t1\n", 2, "corpus-id is empty")]
    [InlineData("h1\th2\th3\nq1\td1\t1\nq1\td2\t1\nq1\td1\t0\n", 4, "already judged on line 2")]
    [InlineData("", 1, "the file is empty")]
    public void ReadQrels_BadLine_NamesFileLineAndProblem(string content, int line, string problem)
    {
        var path = _temp.WriteFile("test.tsv", content);

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadQrels(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.Contains(problem, error.Problem);
    }

    [Fact]
    public void Validate_UnknownDocument_NamesItsQrelsLine()
    {
        var path = _temp.WriteFile("test.tsv", "h1\th2\th3\nq1\td1\t1\nq1\tghost\t1\nq2\tphantom\t1\n");
        var qrels = BeirReader.ReadQrels(path);

        var error = Assert.Throws<BeirFormatException>(() => qrels.Validate(new HashSet<string> { "d1" }, new HashSet<string> { "q1", "q2" }));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("corpus-id 'ghost' is not in the corpus", error.Problem);
    }

    [Fact]
    public void Validate_UnknownQuery_NamesItsQrelsLine()
    {
        var path = _temp.WriteFile("test.tsv", "h1\th2\th3\nq1\td1\t1\nq9\td1\t1\n");
        var qrels = BeirReader.ReadQrels(path);

        var error = Assert.Throws<BeirFormatException>(() => qrels.Validate(documentIds: null, new HashSet<string> { "q1" }));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("query-id 'q9'", error.Problem);
    }
}
