using System.Text;
using Rerank.LuceneBaseline.Indexing;
using Rerank.TestUtilities;
using Rerank.Trainer.Data;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Pipeline;

namespace Rerank.Trainer.Tests.Mining;

/// <summary>
/// Mining on a corpus small enough to rank by hand: every document has three words, so BM25's length norms are equal
/// and a document scores the sum of the idfs of the query words it holds (df: apple 3, banana 2, cherry 1; idf falls
/// with df and is always above 0).
/// </summary>
public sealed class HardNegativeMinerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mine_TinyBeirCorpus_BestFirstWithPositivesRemoved()
    {
        var corpus = LoadTinyBeir();
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));

        var summary = Mine(corpus, run, new MiningSettings());
        var lines = ReadLines(run.Negatives);

        // q1 "apple banana cherry" (positive d1): d2 holds apple+banana, d3 apple only, d4 nothing.
        // q2 "cherry apple" (positive d2): d1 holds cherry+apple, d3 apple. q3 (held out, positive d1): d4 alone.
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("{\"format\":\"rerank-negatives\",\"version\":1,", lines[0], StringComparison.Ordinal);
        Assert.Equal("{\"query_id\":\"q1\",\"negatives\":[\"d2\",\"d3\"]}", lines[1]);
        Assert.Equal("{\"query_id\":\"q2\",\"negatives\":[\"d1\",\"d3\"]}", lines[2]);
        Assert.Equal("{\"query_id\":\"q3\",\"negatives\":[\"d4\"]}", lines[3]);
        Assert.Equal(new MiningSummary(3, 0, 3, 3, IndexOpenStatus.Built), summary);
    }

    [Fact]
    public void Mine_TopAndQueryChars_KeepTheBestAndCutTheQueryBeforeTokenising()
    {
        var corpus = LoadTinyBeir();

        Mine(corpus, new RunLayout(Path.Combine(_temp.Path, "top1")), new MiningSettings { Top = 1 });
        Mine(corpus, new RunLayout(Path.Combine(_temp.Path, "cut")), new MiningSettings { QueryChars = 6 });

        var top1 = ReadLines(Path.Combine(_temp.Path, "top1", "negatives.jsonl"));
        var cut = ReadLines(Path.Combine(_temp.Path, "cut", "negatives.jsonl"));
        Assert.Equal("{\"query_id\":\"q1\",\"negatives\":[\"d2\"]}", top1[1]);
        // "cherry apple" cut to 6 characters is "cherry": only d1 holds it.
        Assert.Equal("{\"query_id\":\"q2\",\"negatives\":[\"d1\"]}", cut[2]);
    }

    [Fact]
    public void Mine_NliPairs_GivenNegativesFirstAndTextsEqualToAPositiveOrTheQueryLeftOut()
    {
        var file = _temp.WriteFile(
            "nli.jsonl",
            """
            {"id": "1", "text1": "red apple pie", "text2": "apple pie", "label": "entailment"}
            {"id": "2", "text1": "red apple pie", "text2": "green salad", "label": "contradiction"}
            {"id": "3", "text1": "red apple pie", "text2": "red apple tart", "label": "neutral"}
            {"id": "4", "text1": "blue sky", "text2": "sky", "label": "entailment"}
            {"id": "5", "text1": "blue sky", "text2": "apple pie", "label": "neutral"}
            {"id": "6", "text1": "blue sky", "text2": "red apple pie", "label": "neutral"}
            """);
        var corpus = TrainingDataLoader.Load(new TrainingDataSettings { Path = file, HeldOutFraction = 0.5 });
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));

        Mine(corpus, run, new MiningSettings());
        var negatives = NegativesFile.Read(run.Negatives, corpus);

        // q/1: the contradiction p/2 first; of BM25's hits p/6 is the query's own text, p/1 the positive, p/5 the positive's
        // text under another id; p/3 is left. q/4 "blue sky": only its positive p/4 matches.
        Assert.Equal(["p/2", "p/3"], negatives["q/1"]);
        Assert.Empty(negatives["q/4"]);
        Assert.True(File.Exists(Path.Combine(run.Root, "bm25", "passages.jsonl")));
    }

    [Fact]
    public void Mine_AfterAnInterruption_ResumesDropsTheTornLineAndWritesTheSameFile()
    {
        var corpus = LoadTinyBeir();
        var whole = new RunLayout(Path.Combine(_temp.Path, "whole"));
        var resumed = new RunLayout(Path.Combine(_temp.Path, "resumed"));
        Mine(corpus, whole, new MiningSettings());
        var expected = File.ReadAllBytes(whole.Negatives);
        var lines = ReadLines(whole.Negatives);
        Directory.CreateDirectory(resumed.Root);
        File.WriteAllText(resumed.Negatives, lines[0] + "\n" + lines[1] + "\n" + lines[2][..10], new UTF8Encoding(false));

        var output = new StringWriter();
        var summary = HardNegativeMiner.Mine(corpus, resumed, new MiningSettings(), output, TextWriter.Null, terminal: false, CancellationToken.None);

        Assert.Equal(expected, File.ReadAllBytes(resumed.Negatives));
        Assert.Equal(1, summary.Resumed);
        Assert.Equal(2, summary.Mined);
        Assert.Contains("mine: resuming: 1 of 3 queries already in", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mine_SecondRun_ReusesTheIndexAndMinesNothing()
    {
        var corpus = LoadTinyBeir();
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        Mine(corpus, run, new MiningSettings());
        var expected = File.ReadAllBytes(run.Negatives);

        var second = Mine(corpus, run, new MiningSettings());

        Assert.Equal(new MiningSummary(3, 3, 0, 0, IndexOpenStatus.Reused), second);
        Assert.Equal(expected, File.ReadAllBytes(run.Negatives));
    }

    [Theory]
    [InlineData(5, 1000, "field top (10 was mined, this run asks 5)")]
    [InlineData(10, 20, "field query_chars (1000 was mined, this run asks 20)")]
    public void Mine_ResumeWithOtherParameters_IsRefusedNamingTheDifference(int top, int queryChars, string difference)
    {
        var corpus = LoadTinyBeir();
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        Mine(corpus, run, new MiningSettings());
        var before = File.ReadAllBytes(run.Negatives);

        var error = Assert.Throws<InvalidDataException>(() => Mine(corpus, run, new MiningSettings { Top = top, QueryChars = queryChars }));

        Assert.StartsWith($"{run.Negatives}:1: {difference}: delete the file", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(run.Negatives));
    }

    [Fact]
    public void Mine_ResumeOnOtherData_IsRefusedNamingTheFingerprint()
    {
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        Mine(LoadTinyBeir(), run, new MiningSettings());
        var other = LoadTinyBeir("other", extraDocument: true);

        var error = Assert.Throws<InvalidDataException>(() => Mine(other, run, new MiningSettings()));

        Assert.Contains(":1: field data_fingerprint (the data or its held-out choice changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnfinishedFileOrOtherData_IsRefused()
    {
        var corpus = LoadTinyBeir();
        var run = new RunLayout(Path.Combine(_temp.Path, "run"));
        Mine(corpus, run, new MiningSettings());
        var lines = ReadLines(run.Negatives);
        File.WriteAllText(run.Negatives, lines[0] + "\n" + lines[1] + "\n");

        var unfinished = Assert.Throws<InvalidDataException>(() => NegativesFile.Read(run.Negatives, corpus));
        var otherData = Assert.Throws<InvalidDataException>(() => NegativesFile.Read(run.Negatives, LoadTinyBeir("other", extraDocument: true)));
        File.WriteAllText(run.Negatives, lines[0] + "\n" + "{\"query_id\":\"q1\",\"negatives\":[\"d9\"]}\n");
        var unknown = Assert.Throws<InvalidDataException>(() => NegativesFile.Read(run.Negatives, corpus));

        Assert.Equal($"{run.Negatives}: 2 of 3 queries have no line yet (mine was interrupted?); run rerank-train mine again to finish it.", unfinished.Message);
        Assert.StartsWith($"{run.Negatives}:1: field 'data_fingerprint': the negatives were mined from other data", otherData.Message, StringComparison.Ordinal);
        Assert.Equal($"{run.Negatives}:2: field 'negatives': 'd9' is not a passage of the data", unknown.Message);
    }

    [Theory]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("abc", 3, "abc")]
    [InlineData("ab\U0001F600c", 3, "ab")]
    [InlineData("ab\U0001F600c", 4, "ab\U0001F600")]
    public void Truncate_CutsByCharactersNeverInsideASurrogatePair(string text, int chars, string expected)
    {
        Assert.Equal(expected, HardNegativeMiner.Truncate(text, chars));
    }

    [Fact]
    public void Mine_Progress_LinesWithRateAndEtaWhenNotATerminal()
    {
        var corpus = LoadTinyBeir();
        var error = new StringWriter();

        HardNegativeMiner.Mine(corpus, new RunLayout(Path.Combine(_temp.Path, "run")), new MiningSettings(), TextWriter.Null, error, terminal: false, CancellationToken.None);

        var last = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Matches(@"^mine: 3/3 queries \(100%\), \d+\.\d queries/s, ETA 0:00:00$", last);
    }

    [Fact]
    public void Mine_ProgressOnATerminal_RewritesOneLineAndEndsIt()
    {
        var corpus = LoadTinyBeir();
        var error = new StringWriter();

        HardNegativeMiner.Mine(corpus, new RunLayout(Path.Combine(_temp.Path, "run")), new MiningSettings(), TextWriter.Null, error, terminal: true, CancellationToken.None);

        var text = error.ToString();
        Assert.StartsWith("\rmine: ", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mine: 3/3 queries (100%)", text, StringComparison.Ordinal);
    }

    private TrainingCorpus LoadTinyBeir(string name = "tiny", bool extraDocument = false)
    {
        var builder = new BeirFolderBuilder()
            .Document("d1", "", "apple banana cherry")
            .Document("d2", "", "apple banana zulu")
            .Document("d3", "", "apple yak xray")
            .Document("d4", "", "wolf vole unicorn")
            .Query("q1", "apple banana cherry")
            .Query("q2", "cherry apple")
            .Query("q3", "unicorn")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 1);
        if (extraDocument)
        {
            builder.Document("d5", "", "quail raven swan");
        }

        var folder = builder.WriteTo(Path.Combine(_temp.Path, name), "train");
        _temp.WriteFile(Path.Combine(name, "qrels", "dev.tsv"), "query-id\tcorpus-id\tscore\nq3\td1\t1\n");
        return TrainingDataLoader.Load(new TrainingDataSettings { Path = folder });
    }

    private static MiningSummary Mine(TrainingCorpus corpus, RunLayout run, MiningSettings settings) =>
        HardNegativeMiner.Mine(corpus, run, settings, TextWriter.Null, TextWriter.Null, terminal: false, CancellationToken.None);

    private static string[] ReadLines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
