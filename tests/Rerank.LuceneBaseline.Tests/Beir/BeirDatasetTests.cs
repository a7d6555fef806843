using Rerank.LuceneBaseline.Beir;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Tests.Beir;

public sealed class BeirDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_KeepsOnlyJudgedQueriesInFileOrder()
    {
        var dir = new BeirFolderBuilder()
            .Document("d1", "", "x")
            .Query("q3", "three").Query("q1", "one").Query("q2", "two")
            .Judgment("q1", "d1", 1).Judgment("q3", "d1", 0)
            .WriteTo(Path.Combine(_temp.Path, "c"));

        var dataset = BeirDataset.Open(dir, "test");

        Assert.Equal(["q3", "q1"], dataset.Queries.Select(q => q.Id));
        Assert.Equal("c", dataset.Name);
    }

    [Fact]
    public void Open_TrailingSeparator_ExposesPathsAndStreamsTheCorpus()
    {
        var dir = new BeirFolderBuilder()
            .Document("d1", "T1", "x").Document("d2", "", "y")
            .Query("q1", "one")
            .Judgment("q1", "d2", 2)
            .WriteTo(Path.Combine(_temp.Path, "mini"), split: "dev");

        var dataset = BeirDataset.Open(dir + Path.DirectorySeparatorChar, "dev");

        Assert.Equal("mini", dataset.Name);
        Assert.Equal(dir, dataset.Directory);
        Assert.Equal("dev", dataset.Split);
        Assert.Equal(Path.Combine(dir, "corpus.jsonl"), dataset.CorpusPath);
        Assert.Equal(Path.Combine(dir, "queries.jsonl"), dataset.QueriesPath);
        Assert.Equal(Path.Combine(dir, "qrels", "dev.tsv"), dataset.QrelsPath);
        Assert.Equal(2, dataset.Qrels.ByQuery["q1"]["d2"]);
        Assert.Equal([new BeirDocument("d1", "T1", "x"), new BeirDocument("d2", "", "y")], dataset.ReadCorpus());
    }

    [Fact]
    public void Open_QrelNamesUnknownQuery_FailsWithQrelsLine()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one")
            .Judgment("q1", "d1", 1).Judgment("q2", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "c"));

        var error = Assert.Throws<BeirFormatException>(() => BeirDataset.Open(dir, "test"));

        Assert.Equal(Path.Combine(dir, "qrels", "test.tsv"), error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("query-id 'q2' is not in the queries file", error.Problem);
    }

    [Fact]
    public void Open_QrelNamesUnknownDocument_FailsWhenValidatedAgainstTheCorpus()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one")
            .Judgment("q1", "d1", 1).Judgment("q1", "d9", 1)
            .WriteTo(Path.Combine(_temp.Path, "c"));
        var dataset = BeirDataset.Open(dir, "test");
        var documentIds = dataset.ReadCorpus().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        var error = Assert.Throws<BeirFormatException>(() => dataset.Qrels.Validate(documentIds, queryIds: null));

        Assert.Equal(dataset.QrelsPath, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("corpus-id 'd9' is not in the corpus", error.Problem);
    }

    [Fact]
    public void Open_MissingSplit_ListsAvailableSplits()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one").Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "c"), split: "train");
        File.WriteAllText(Path.Combine(dir, "qrels", "dev.tsv"), "query-id\tcorpus-id\tscore\n");

        var error = Assert.Throws<FileNotFoundException>(() => BeirDataset.Open(dir, "test"));

        Assert.Equal(Path.Combine(dir, "qrels", "test.tsv"), error.FileName);
        Assert.Contains("Split 'test' not found", error.Message);
        Assert.Contains("available splits: dev, train", error.Message);
    }

    [Fact]
    public void Open_NoQrelsFolder_SaysNoSplitsAreAvailable()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one").WriteTo(Path.Combine(_temp.Path, "c"));
        Directory.Delete(Path.Combine(dir, "qrels"), recursive: true);

        var error = Assert.Throws<FileNotFoundException>(() => BeirDataset.Open(dir, "test"));

        Assert.Equal(Path.Combine(dir, "qrels", "test.tsv"), error.FileName);
        Assert.Contains("available splits: none", error.Message);
    }

    [Theory]
    [InlineData("corpus.jsonl")]
    [InlineData("queries.jsonl")]
    public void Open_MissingFile_NamesIt(string file)
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one").WriteTo(Path.Combine(_temp.Path, "c"));
        File.Delete(Path.Combine(dir, file));

        var error = Assert.Throws<FileNotFoundException>(() => BeirDataset.Open(dir, "test"));

        Assert.Equal(Path.Combine(dir, file), error.FileName);
        Assert.Contains($"{file} is missing", error.Message);
    }

    [Fact]
    public void Open_MissingFolder_NamesIt()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() => BeirDataset.Open(missing, "test"));

        Assert.Contains(missing, error.Message);
    }

    [Theory]
    // Independent counts from the files (wc -l on corpus.jsonl; awk over qrels/<split>.tsv skipping the header:
    // judgment lines and distinct query ids); every qrels query and document id is in queries.jsonl / corpus.jsonl.
    [InlineData("scifact", "test", 5183, 300, 339)]
    [InlineData("scifact", "train", 5183, 809, 919)]
    [InlineData("cranfield", "test", 1400, 225, 1837)]
    public void Open_RealCollection_MatchesCountsFromTheFiles(string collection, string split, int documents, int queries, int judgments)
    {
        var dataset = BeirDataset.Open(RepositoryPaths.RequireSharedCollection(collection), split);

        Assert.Equal(collection, dataset.Name);
        Assert.Equal(queries, dataset.Queries.Count);
        Assert.Equal(queries, dataset.Qrels.QueryIds.Count());
        Assert.Equal(judgments, dataset.Qrels.Count);
        var documentIds = dataset.ReadCorpus().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(documents, documentIds.Count);
        dataset.Qrels.Validate(documentIds, dataset.Queries.Select(q => q.Id).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Open_Cranfield_KeepsGradedJudgments()
    {
        // awk -F'\t' 'NR>1{print $3}' qrels/test.tsv | sort | uniq -c: 225 x 0, 363 x 1, 734 x 2, 387 x 3, 128 x 4.
        var dataset = BeirDataset.Open(RepositoryPaths.RequireSharedCollection("cranfield"), "test");

        var histogram = dataset.Qrels.ByQuery.Values.SelectMany(j => j.Values)
            .GroupBy(grade => grade).OrderBy(g => g.Key).Select(g => (g.Key, g.Count()));

        Assert.Equal([(0, 225), (1, 363), (2, 734), (3, 387), (4, 128)], histogram);
    }
}
