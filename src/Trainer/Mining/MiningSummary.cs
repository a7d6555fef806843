using Rerank.LuceneBaseline.Indexing;

namespace Rerank.Trainer.Mining;

/// <summary>What one <c>mine</c> run did.</summary>
/// <param name="Queries">Training and held-out queries in the file now.</param>
/// <param name="Resumed">Queries a previous run had written (skipped this time).</param>
/// <param name="Mined">Queries mined by this run.</param>
/// <param name="FewerThanTop">Queries of this run for which BM25 found fewer than <c>--top</c> negatives.</param>
/// <param name="Index">Whether the BM25 index was reused, built or rebuilt.</param>
internal sealed record MiningSummary(int Queries, int Resumed, int Mined, int FewerThanTop, IndexOpenStatus Index);
