using Rerank.LuceneBaseline.Beir;

namespace Rerank.Cli.Quickstart;

/// <summary>
/// The documents <c>rerank quickstart</c> indexes when no BEIR collection is at hand: a dozen short passages written
/// for this project about search itself, enough to see a reranked answer.
/// </summary>
internal static class SampleCorpus
{
    public const string Name = "sample";

    public const string Query = "how are search results reranked";

    public static IReadOnlyList<BeirDocument> Documents { get; } =
    [
        new("s1", "Reranking", "A reranker reorders the candidates a first-stage retriever returned, using a slower and more accurate model."),
        new("s2", "BM25", "BM25 scores a document by the frequency of query terms in it, damped by its length and the terms' rarity."),
        new("s3", "Cross-encoders", "A cross-encoder reads the query and a passage together and outputs one relevance score for the pair."),
        new("s4", "Bi-encoders", "A bi-encoder embeds queries and passages separately, so passage vectors can be computed before any search."),
        new("s5", "Distillation", "Knowledge distillation trains a small student model to imitate the scores of a large teacher model."),
        new("s6", "Inverted index", "An inverted index maps each term to the list of documents that contain it, which makes keyword search fast."),
        new("s7", "Search results", "Search results are ordered by relevance score; reranking the top results improves the first page the most."),
        new("s8", "Latency budgets", "A latency budget bounds how long a stage may take; when it runs out, the system answers with what it has."),
        new("s9", "Sourdough bread", "Sourdough bread rises with wild yeast and lactic acid bacteria instead of commercial yeast."),
        new("s10", "Evaluation", "nDCG at 10 rewards placing the most relevant documents at the top of the first ten results."),
        new("s11", "Vector storage", "Storing passage vectors at half precision halves their size and barely changes the scores they give."),
        new("s12", "Tides", "Tides are caused by the gravitational pull of the moon and the sun on the oceans."),
    ];
}
