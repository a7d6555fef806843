using System.Text.Json;
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
    [InlineData("\"just text\"", "expected a JSON object, found a string")]
    [InlineData("{\"title\": \"t\", \"text\": \"x\"}", "field '_id' is missing")]
    [InlineData("{\"_id\": true, \"text\": \"x\"}", "field '_id' must be a string or an integer, found a boolean")]
    [InlineData("{\"_id\": null, \"text\": \"x\"}", "field '_id' must be a string or an integer, found null")]
    [InlineData("{\"_id\": 1.5, \"text\": \"x\"}", "field '_id' must be a string or an integer, found the number 1.5")]
    [InlineData("{\"_id\": 1e3, \"text\": \"x\"}", "found the number 1e3")]
    [InlineData("{\"_id\": \"\", \"text\": \"x\"}", "field '_id' is empty")]
    [InlineData("{\"_id\": \"b\", \"title\": \"t\"}", "field 'text' is missing")]
    [InlineData("{\"_id\": \"b\", \"text\": 5}", "field 'text' must be a string, found a number")]
    [InlineData("{\"_id\": \"b\", \"text\": \"x\", \"title\": [\"t\"]}", "field 'title' must be a string, found an array")]
    [InlineData("{\"_id\": \"b\", \"text\": \"x\", \"title\": 7}", "field 'title' must be a string, found a number")]
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

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("-0", "0")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void ReadCorpus_IntegerId_ReadsItsInvariantText(string literal, string expected)
    {
        var path = _temp.WriteFile("corpus.jsonl", "{\"_id\": " + literal + ", \"text\": \"x\"}\n");

        var document = Assert.Single(BeirReader.ReadCorpus(path));

        Assert.Equal(expected, document.Id);
    }

    [Fact]
    public void ReadCorpus_InvalidJson_IncludesTheJsonReadersMessage()
    {
        var path = _temp.WriteFile("corpus.jsonl", "{\"_id\": \"a\", \"text\": }\n");

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadCorpus(path).ToList());

        Assert.Equal(path, error.FilePath);
        Assert.Equal(1, error.LineNumber);
        var jsonError = Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
        Assert.Equal("invalid JSON: " + jsonError.Message, error.Problem);
        Assert.Contains("is an invalid start of a value", error.Problem);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })] // a lead byte without its continuation
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate (U+D800) written as UTF-8
    [InlineData(new byte[] { 0xFF })] // never valid in UTF-8
    public void ReadCorpus_InvalidUtf8_NamesFileAndLine(byte[] bad)
    {
        byte[] content = [.. "{\"_id\": \"a\", \"text\": \"x\"}\n\n{\"_id\": \"b\", \"text\": \""u8, .. bad, .. "\"}\n"u8];
        var path = _temp.WriteBytes("corpus.jsonl", content);

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadCorpus(path).ToList());

        Assert.Equal($"{path}:3: the line is not valid UTF-8", error.Message);
    }

    [Fact]
    public void ReadCorpus_InvalidUtf8FarIntoTheFile_NamesItsLine()
    {
        // 5,000 lines of about 40 bytes: the bad line lies well past the reader's first 64 KiB buffer.
        var valid = string.Concat(Enumerable.Range(1, 5000).Select(i => $"{{\"_id\": \"d{i}\", \"text\": \"caf\u00e9 {i}\"}}\n"));
        byte[] content = [.. System.Text.Encoding.UTF8.GetBytes(valid), .. "{\"_id\": \"bad\", \"text\": \""u8, 0xC3, .. "\"}\n"u8];
        var path = _temp.WriteBytes("corpus.jsonl", content);

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadCorpus(path).ToList());

        Assert.Equal(5001, error.LineNumber);
    }

    [Fact]
    public void ReadCorpus_LineLongerThanTheBuffer_KeepsEveryCharacter()
    {
        // 100,000 two-byte characters: the line spans several buffer fills and splits characters between them.
        var text = new string('\u00e9', 100_000);
        var path = _temp.WriteFile("corpus.jsonl", "{\"_id\": \"a\", \"text\": \"" + text + "\"}\n{\"_id\": \"b\", \"text\": \"y\"}");

        var documents = BeirReader.ReadCorpus(path).ToList();

        Assert.Equal(text, documents[0].Text);
        Assert.Equal("y", documents[1].Text);
    }

    [Fact]
    public void ReadQrels_InvalidUtf8_NamesFileAndLine()
    {
        byte[] content = [.. "query-id\tcorpus-id\tscore\nq1\td1\t1\nq"u8, 0xFF, .. "\td2\t1\n"u8];
        var path = _temp.WriteBytes("test.tsv", content);

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadQrels(path));

        Assert.Equal($"{path}:3: the line is not valid UTF-8", error.Message);
    }

    [Fact]
    public void ReadQueries_CrlfBomAndExtraFields_ParsesInFileOrder()
    {
        var path = _temp.WriteFile(
            "queries.jsonl",
            "\uFEFF{\"_id\": \"q2\", \"text\": \"two\", \"metadata\": {}}\r\n{\"_id\": 1, \"text\": \"one\"}\r\n\r\n");

        var queries = BeirReader.ReadQueries(path);

        Assert.Equal([new BeirQuery("q2", "two"), new BeirQuery("1", "one")], queries);
    }

    [Theory]
    [InlineData("{\"_id\": \"q2\"}", "field 'text' is missing")]
    [InlineData("{\"_id\": \"q2\", \"text\": null}", "field 'text' must be a string, found null")]
    [InlineData("{\"text\": \"two\"}", "field '_id' is missing")]
    [InlineData("{\"_id\": \"\", \"text\": \"two\"}", "field '_id' is empty")]
    [InlineData("{\"_id\": \"q1\", \"text\": \"again\"}", "duplicate _id 'q1', first seen on line 1")]
    [InlineData("{\"_id\": \"q2\", \"text\": \"two\"", "invalid JSON")]
    public void ReadQueries_BadLine_NamesFileLineAndProblem(string badLine, string problem)
    {
        var path = _temp.WriteFile("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"one\"}\n" + badLine + "\n");

        var error = Assert.Throws<BeirFormatException>(() => BeirReader.ReadQueries(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains(problem, error.Problem);
        Assert.Equal($"{path}:2: {error.Problem}", error.Message);
    }

    [Fact]
    public void ReadQrels_GradedCrlfBomAndBlankLines_KeepsGrades()
    {
        var path = _temp.WriteFile("test.tsv", "\uFEFFquery-id\tcorpus-id\tscore\r\nq1\td1\t2\r\nq1\td2\t0\r\n\r\nq2\td1\t-1\r\n");

        var qrels = BeirReader.ReadQrels(path);

        Assert.Equal(3, qrels.Count);
        Assert.Equal(path, qrels.FilePath);
        Assert.Equal(["q1", "q2"], qrels.QueryIds.Order(StringComparer.Ordinal));
        Assert.Equal(2, qrels.ByQuery["q1"]["d1"]);
        Assert.Equal(0, qrels.ByQuery["q1"]["d2"]);
        Assert.Equal(-1, qrels.ByQuery["q2"]["d1"]);
    }

    [Theory]
    [InlineData("q1\td1\t1\nq2\td2\t1\n", 1, "header line (query-id, corpus-id, score) is missing")]
    [InlineData("query-id corpus-id score\n", 1, "the header must have 3 tab-separated columns")]
    [InlineData("query-id\tcorpus-id\n", 1, "the header must have 3 tab-separated columns (query-id, corpus-id, score), found 2")]
    [InlineData("h1\th2\th3\nq1\td1\n", 2, "expected 3 tab-separated columns (query-id, corpus-id, score), found 2")]
    [InlineData("h1\th2\th3\nq1\td1\t1\tx\n", 2, "found 4")]
    [InlineData("h1\th2\th3\nq1\td1\thigh\n", 2, "score 'high' is not an integer")]
    [InlineData("h1\th2\th3\nq1\td1\t1.5\n", 2, "score '1.5' is not an integer")]
    [InlineData("h1\th2\th3\nq1\td1\t1\n\nq1\td2\t\n", 4, "score '' is not an integer")]
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

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("corpus-id 'ghost' is not in the corpus", error.Problem);
    }

    [Fact]
    public void Validate_UnknownsInSeveralQueries_NamesTheEarliestLineInTheFile()
    {
        // Grouped by query, q1's 'ghost' (line 4) comes first; in the file, q2's 'phantom' (line 3) does.
        var path = _temp.WriteFile("test.tsv", "h1\th2\th3\nq1\td1\t1\nq2\tphantom\t1\nq1\tghost\t1\n");
        var qrels = BeirReader.ReadQrels(path);

        var error = Assert.Throws<BeirFormatException>(() => qrels.Validate(new HashSet<string> { "d1" }, new HashSet<string> { "q1", "q2" }));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("corpus-id 'phantom' is not in the corpus", error.Problem);
    }

    [Fact]
    public void Validate_AllKnown_DoesNotThrow()
    {
        var path = _temp.WriteFile("test.tsv", "h1\th2\th3\nq1\td1\t1\nq2\td2\t0\n");
        var qrels = BeirReader.ReadQrels(path);

        qrels.Validate(new HashSet<string> { "d1", "d2" }, new HashSet<string> { "q1", "q2" });
    }

    [Fact]
    public void Validate_UnknownQuery_NamesItsQrelsLine()
    {
        var path = _temp.WriteFile("test.tsv", "h1\th2\th3\nq1\td1\t1\nq9\td1\t1\n");
        var qrels = BeirReader.ReadQrels(path);

        var error = Assert.Throws<BeirFormatException>(() => qrels.Validate(documentIds: null, new HashSet<string> { "q1" }));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("query-id 'q9' is not in the queries file", error.Problem);
    }
}
