using Elastic.Clients.Elasticsearch;

namespace Rerank.IngestPipeline.Backfill;

/// <summary><c>rerank ingest status</c>: classifies every document of an index (a point-in-time scan) and counts them.</summary>
internal static class IndexStatusCounter
{
    private const int PageSize = 1000;

    /// <exception cref="IngestException">The cluster cannot be reached, or the index is missing or has no valid config.</exception>
    public static async Task<IndexStatus> CountAsync(ElasticsearchClient client, string index, CancellationToken cancellationToken)
    {
        var config = await ClusterIndex.ReadConfigAsync(client, index, cancellationToken).ConfigureAwait(false);
        var counts = new long[Enum.GetValues<DocumentState>().Length];
        var scanner = new IndexScanner(client, index, config, slice: null, PageSize);
        await foreach (var page in scanner.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in page)
            {
                counts[(int)DocumentClassifier.Classify(document.Source, document.HasProjection, config, out _)]++;
            }
        }

        return new IndexStatus
        {
            Documents = counts.Sum(),
            Current = counts[(int)DocumentState.Current],
            Missing = counts[(int)DocumentState.Missing],
            Stale = counts[(int)DocumentState.Stale],
            OtherModel = counts[(int)DocumentState.OtherModel],
        };
    }
}
