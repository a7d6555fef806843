using System.CommandLine;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Scoring;
using Rerank.LuceneBaseline.Search;

namespace Rerank.Cli.Eval;

/// <summary>
/// The options that define the BM25 first stage, shared by <c>eval bm25</c> and <c>eval rerank</c> so both run the same
/// BM25 with the same defaults: index folder, fields and separator, analyzer, mode, k1, b, scoring and threads.
/// </summary>
internal sealed class Bm25CommandOptions
{
    public Option<DirectoryInfo?> IndexDir { get; } = new("--index-dir") { Description = "Index folder (default: a folder per collection under $RERANK_CACHE_DIR or ~/.cache/rerank)." };

    public Option<string> Fields { get; } = new("--fields") { Description = "Corpus fields to index, comma-separated, in join order.", DefaultValueFactory = _ => "title,text" };

    public Option<string> Separator { get; } = new("--separator") { Description = "Text placed between joined field values.", DefaultValueFactory = _ => " " };

    public Option<AnalyzerKind> Analyzer { get; } = new("--analyzer") { Description = "Text analysis: standard (Elasticsearch's standard analyzer) or cjk (bigrams, for Chinese).", DefaultValueFactory = _ => AnalyzerKind.Standard };

    public Option<Bm25SearchMode> Mode { get; } = new("--mode") { Description = "flat: one BM25 over the joined fields; multifield: sum of per-field BM25.", DefaultValueFactory = _ => Bm25SearchMode.Flat };

    public Option<float> K1 { get; } = new("--k1") { Description = "BM25 k1.", DefaultValueFactory = _ => 1.2f };

    public Option<float> B { get; } = new("--b") { Description = "BM25 b.", DefaultValueFactory = _ => 0.75f };

    public Option<Bm25Scoring> Scoring { get; } = new("--scoring") { Description = "BM25 arithmetic: lucene (Lucene.Net 4.8's) or elasticsearch (Elasticsearch 8/9's scores; its length norms, so the index is rebuilt).", DefaultValueFactory = _ => Bm25Scoring.Lucene };

    public Option<int> Threads { get; } = new Option<int>("--threads") { Description = "Queries searched at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);

    public Bm25CommandOptions() => IndexDir.NotAFile();

    public IEnumerable<Option> All => [IndexDir, Fields, Separator, Analyzer, Mode, K1, B, Scoring, Threads];

    /// <summary>The BM25 settings of one evaluation of <paramref name="dataDirectory"/>, retrieving <paramref name="topK"/> per query.</summary>
    public Bm25EvaluationSettings Settings(ParseResult parse, string dataDirectory, string split, int topK) => new()
    {
        DataDirectory = dataDirectory,
        Split = split,
        TopK = topK,
        IndexDirectory = parse.GetValue(IndexDir)?.FullName ?? CachePaths.Bm25Index(dataDirectory),
        Index = IndexOptions(parse),
        Mode = parse.GetValue(Mode),
        MaxDegreeOfParallelism = parse.GetValue(Threads),
    };

    public Bm25IndexOptions IndexOptions(ParseResult parse) => new()
    {
        Fields = parse.GetRequiredValue(Fields).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        Separator = parse.GetValue(Separator) ?? " ",
        Analyzer = parse.GetValue(Analyzer),
        K1 = parse.GetValue(K1),
        B = parse.GetValue(B),
        Scoring = parse.GetValue(Scoring),
    };
}
