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
    public void Open_QrelNamesUnknownQuery_FailsWithQrelsLine()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one")
            .Judgment("q1", "d1", 1).Judgment("q2", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "c"));

        var error = Assert.Throws<BeirFormatException>(() => BeirDataset.Open(dir, "test"));

        Assert.Equal(Path.Combine(dir, "qrels", "test.tsv"), error.FilePath);
        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public void Open_MissingSplit_ListsAvailableSplits()
    {
        var dir = new BeirFolderBuilder().Document("d1", "", "x").Query("q1", "one").Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "c"), split: "train");

        var error = Assert.Throws<FileNotFoundException>(() => BeirDataset.Open(dir, "test"));

        Assert.Contains("Split 'test' not found", error.Message);
        Assert.Contains("available splits: train", error.Message);
    }

    [Fact]
    public void Open_MissingCorpus_NamesTheFile()
    {
        var dir = new BeirFolderBuilder().Query("q1", "one").WriteTo(Path.Combine(_temp.Path, "c"));
        File.Delete(Path.Combine(dir, "corpus.jsonl"));

        var error = Assert.Throws<FileNotFoundException>(() => BeirDataset.Open(dir, "test"));

        Assert.Contains("corpus.jsonl is missing", error.Message);
    }

    [Fact]
    public void Open_MissingFolder_NamesIt()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() => BeirDataset.Open(missing, "test"));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Open_SciFact_MatchesCountsFromTheFiles()
    {
        // Independent counts (wc -l, awk over the files): 5,183 documents; test qrels: 339 judgments over 300 queries.
        var dataset = BeirDataset.Open(RepositoryPaths.RequireSharedCollection("scifact"), "test");

        Assert.Equal(300, dataset.Queries.Count);
        Assert.Equal(339, dataset.Qrels.Count);
        Assert.Equal(5183, dataset.ReadCorpus().Count());
    }

    [Fact]
    public void Open_Cranfield_MatchesCountsFromTheFiles()
    {
        // Independent counts: 1,400 documents, 225 queries, 1,837 graded judgments (grades 0..4).
        var dataset = BeirDataset.Open(RepositoryPaths.RequireSharedCollection("cranfield"), "test");

        Assert.Equal(225, dataset.Queries.Count);
        Assert.Equal(1837, dataset.Qrels.Count);
        Assert.Equal(1400, dataset.ReadCorpus().Count());
        Assert.Equal(4, dataset.Qrels.ByQuery.Values.SelectMany(j => j.Values).Max());
    }
}
