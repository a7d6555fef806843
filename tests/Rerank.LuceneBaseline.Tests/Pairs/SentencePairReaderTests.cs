using System.Text;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Pairs;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Tests.Pairs;

public sealed class SentencePairReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_StsNliAndMixedLines_ReadsEveryField()
    {
        var path = _temp.WriteFile(
            "pairs.jsonl",
            "\uFEFF{\"id\": \"train-0001\", \"text1\": \"A plane.\", \"text2\": \"An air plane.\", \"score\": 5.0}\r\n" +
            "{\"id\": 12845, \"text1\": \"p\", \"text2\": \"h\", \"label\": \"contradiction\"}\r\n" +
            "\r\n" +
            "{\"id\": \"3\", \"text1\": \"a\", \"text2\": \"b\", \"label\": \"neutral\", \"score\": 4.5, \"extra\": [1]}\n" +
            "{\"id\": \"4\", \"text1\": \"\", \"text2\": \"c\", \"label\": null, \"score\": null}");

        var pairs = SentencePairReader.Read(path);

        Assert.Equal(
            [
                new SentencePair("train-0001", "A plane.", "An air plane.", null, 5.0),
                new SentencePair("12845", "p", "h", "contradiction", null),
                new SentencePair("3", "a", "b", "neutral", 4.5),
                new SentencePair("4", "", "c", null, null),
            ],
            pairs);
    }

    [Fact]
    public void Read_EmptyFile_ReturnsNoPairs()
    {
        var path = _temp.WriteFile("empty.jsonl", "\n\n");

        Assert.Empty(SentencePairReader.Read(path));
    }

    [Theory]
    [InlineData("{\"id\": \"b\", \"text1\": }", "invalid JSON")]
    [InlineData("[1, 2]", "expected a JSON object, found an array")]
    [InlineData("{\"text1\": \"x\", \"text2\": \"y\"}", "field 'id' is missing")]
    [InlineData("{\"id\": true, \"text1\": \"x\", \"text2\": \"y\"}", "field 'id' must be a string or an integer, found a boolean")]
    [InlineData("{\"id\": 2.5, \"text1\": \"x\", \"text2\": \"y\"}", "field 'id' must be a string or an integer, found the number 2.5")]
    [InlineData("{\"id\": \"\", \"text1\": \"x\", \"text2\": \"y\"}", "field 'id' is empty")]
    [InlineData("{\"id\": \"a\", \"text1\": \"x\", \"text2\": \"y\"}", "field 'id': duplicate id 'a', first seen on line 1")]
    [InlineData("{\"id\": 1, \"text1\": \"x\", \"text2\": \"y\"}", "field 'id': duplicate id '1', first seen on line 2")]
    [InlineData("{\"id\": \"b\", \"text2\": \"y\"}", "field 'text1' is missing")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\"}", "field 'text2' is missing")]
    [InlineData("{\"id\": \"b\", \"text1\": null, \"text2\": \"y\"}", "field 'text1' must be a string, found null")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": 3}", "field 'text2' must be a string, found a number")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": \"y\", \"label\": 1}", "field 'label' must be a string, found a number")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": \"y\", \"score\": \"4.2\"}", "field 'score' must be a number, found a string")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": \"y\", \"score\": true}", "field 'score' must be a number, found a boolean")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": \"y\", \"score\": 1e400}", "field 'score' must be a finite number, found 1e400")]
    [InlineData("{\"id\": \"b\", \"text1\": \"x\", \"text2\": \"y\", \"score\": -1e999}", "field 'score' must be a finite number, found -1e999")]
    public void Read_BadLine_NamesFileLineAndField(string badLine, string problem)
    {
        // Line 2's id "1" is what the integer id 1 reads as, so a later 1 is a duplicate of it.
        var path = _temp.WriteFile(
            "pairs.jsonl",
            "{\"id\": \"a\", \"text1\": \"x\", \"text2\": \"y\"}\n{\"id\": \"1\", \"text1\": \"x\", \"text2\": \"y\"}\n\n" + badLine + "\n");

        var error = Assert.Throws<BeirFormatException>(() => SentencePairReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(4, error.LineNumber);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"{path}:4: ", error.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_NamesTheLine()
    {
        var good = Encoding.UTF8.GetBytes("{\"id\": \"a\", \"text1\": \"x\", \"text2\": \"y\"}\n{\"id\": \"b\", \"text1\": \"");
        byte[] bad = [0xC3, 0x28];
        var end = Encoding.UTF8.GetBytes("\", \"text2\": \"y\"}\n");
        var path = _temp.WriteBytes("pairs.jsonl", [.. good, .. bad, .. end]);

        var error = Assert.Throws<BeirFormatException>(() => SentencePairReader.Read(path));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("not valid UTF-8", error.Problem);
    }

    [Fact]
    public void ReadLines_RenameRepeatedIds_SuffixesLaterOccurrencesWithTheirLines()
    {
        var path = _temp.WriteFile(
            "pairs.jsonl",
            "{\"id\": \"x\", \"text1\": \"a\", \"text2\": \"b\"}\n" +
            "{\"id\": \"x#2\", \"text1\": \"c\", \"text2\": \"d\"}\n" +
            "\n" +
            "{\"id\": \"x\", \"text1\": \"e\", \"text2\": \"f\"}\n" +
            "{\"id\": \"x\", \"text1\": \"g\", \"text2\": \"h\"}\n");

        var lines = SentencePairReader.ReadLines(path, renameRepeatedIds: true).ToList();

        // "x#2" is a real id, so the first repeat of "x" becomes "x#3", the next "x#4".
        Assert.Equal(
            [
                (1, new SentencePair("x", "a", "b", null, null)),
                (2, new SentencePair("x#2", "c", "d", null, null)),
                (4, new SentencePair("x#3", "e", "f", null, null)),
                (5, new SentencePair("x#4", "g", "h", null, null)),
            ],
            lines);
    }

    [Fact]
    public void ReadLines_RenameRepeatedIds_ALaterIdEqualToAGivenNameIsAnError()
    {
        var path = _temp.WriteFile(
            "pairs.jsonl",
            "{\"id\": \"x\", \"text1\": \"a\", \"text2\": \"b\"}\n" +
            "{\"id\": \"x\", \"text1\": \"c\", \"text2\": \"d\"}\n" +
            "{\"id\": \"x#2\", \"text1\": \"e\", \"text2\": \"f\"}\n");

        var error = Assert.Throws<BeirFormatException>(() => SentencePairReader.ReadLines(path, renameRepeatedIds: true).ToList());

        Assert.Equal(3, error.LineNumber);
        Assert.Equal("field 'id': duplicate id 'x#2', first seen on line 2 (the name given to that line's repeated id)", error.Problem);
    }

    [Fact]
    public void Read_SharedStsbTrain_RefusesItsRepeatedIdsButReadLinesRenamesThem()
    {
        var folder = RepositoryPaths.RequireSharedCollection("stsb-en");
        var path = Path.Combine(folder, "train.jsonl");

        var error = Assert.Throws<BeirFormatException>(() => SentencePairReader.Read(path));
        var lines = SentencePairReader.ReadLines(path, renameRepeatedIds: true).ToList();

        // Lines 2 and 497 of the file both carry the id train-0004-MSRvid; the README counts 5,749 training pairs.
        Assert.Equal(497, error.LineNumber);
        Assert.Contains("duplicate id 'train-0004-MSRvid', first seen on line 2", error.Problem);
        Assert.Equal(5749, lines.Count);
        Assert.Equal(5749, lines.Select(line => line.Pair.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("train-0004-MSRvid#2", lines.Single(line => line.LineNumber == 497).Pair.Id);
    }

    [Theory]
    [InlineData("stsb-en", "train.jsonl", 5749)]
    [InlineData("stsb-en", "dev.jsonl", 1500)]
    [InlineData("sick", "train.jsonl", 4439)]
    [InlineData("ocnli", "dev.jsonl", 2950)]
    public void ReadLines_SharedPairSets_ReadsThePublishedCounts(string collection, string file, int expectedPairs)
    {
        var folder = RepositoryPaths.RequireSharedCollection(collection);

        var pairs = SentencePairReader.ReadLines(Path.Combine(folder, file), renameRepeatedIds: true).ToList();

        // Counts from ../shared/data/README.md.
        Assert.Equal(expectedPairs, pairs.Count);
    }

    [Theory]
    [InlineData("sick", "train.jsonl", 4439)]
    [InlineData("ocnli", "train.jsonl", 9985)]
    public void Read_SharedPairSetsWithUniqueIds_ReadsThePublishedCounts(string collection, string file, int expectedPairs)
    {
        var folder = RepositoryPaths.RequireSharedCollection(collection);

        var pairs = SentencePairReader.Read(Path.Combine(folder, file));

        Assert.Equal(expectedPairs, pairs.Count);
        Assert.All(pairs, pair => Assert.True(pair.Label is "entailment" or "neutral" or "contradiction", pair.Label));
    }
}
