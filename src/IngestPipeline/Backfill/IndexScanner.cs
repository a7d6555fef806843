using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>
/// Reads every document of an index (or of one slice of it) once, through a point in time and <c>search_after</c>.
/// </summary>
/// <remarks>
/// 1. Refresh the index, so the point in time sees every acknowledged write, then open the point in time (unless one
///    is given: sliced workers share one, opened by <c>rerank ingest pit</c>, and searches then leave its expiry alone).
/// 2. Two passes over the same point in time: documents with a projection (an <c>exists</c> query on the projection
///    field), then those without (its negation). Together they partition the snapshot, and the classifier learns
///    whether a document has a projection without fetching the vector.
/// 3. Each pass pages by <c>_shard_doc</c> with <c>search_after</c>, fetching <c>_source</c> restricted to the text
///    fields and the stored model, hash and stale fields, with <c>seq_no_primary_term</c>; with a slice, each search
///    carries <c>slice: {id, max}</c>, so n scanners with slices 0..n-1 see every document exactly once between them.
/// 4. The point in time is closed at the end, also on failure or cancellation.
/// </remarks>
internal sealed class IndexScanner(ElasticsearchClient client, string index, RerankIndexConfig config, ScanSlice? slice, int pageSize)
{
    /// <summary>How long a point in time is kept between two pages (each search extends it).</summary>
    public const string KeepAlive = "5m";

    /// <summary>
    /// A point in time opened elsewhere to scan (several sliced workers must share one: slices partition one
    /// snapshot, and an updated document moves in the next); null (default) opens and closes one.
    /// </summary>
    public string? PointInTime { get; init; }

    /// <summary>Called with the number of documents of each pass when the pass starts (for progress).</summary>
    public Action<long>? PassTotal { get; init; }

    /// <summary>Pages of documents, in <c>_shard_doc</c> order within each pass.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ScannedDocument>> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Step 1.
        var pit = PointInTime ?? await OpenAsync(client, index, KeepAlive, cancellationToken).ConfigureAwait(false);
        try
        {
            // Step 2.
            foreach (var hasProjection in (bool[])[true, false])
            {
                var exists = new Query { Exists = new ExistsQuery { Field = config.Fields.Projection } };
                var query = hasProjection ? exists : new Query { Bool = new BoolQuery { MustNot = [exists] } };
                ICollection<FieldValue>? after = null;
                var first = true;
                while (true)
                {
                    // Step 3.
                    var request = new SearchRequest
                    {
                        Size = pageSize,
                        Pit = PointInTime is null ? new PointInTimeReference { Id = pit, KeepAlive = KeepAlive } : new PointInTimeReference { Id = pit },
                        Query = query,
                        Sort = [new SortOptions { Field = new FieldSort { Field = "_shard_doc", Order = SortOrder.Asc } }],
                        Source = new SourceConfig(new SourceFilter { Includes = Fields.FromStrings([.. SourceFields()]) }),
                        SeqNoPrimaryTerm = true,
                        TrackTotalHits = new TrackHits(first),
                        SearchAfter = after,
                        Slice = slice is null ? null : new SlicedScroll { Id = slice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Max = slice.Max },
                    };
                    var page = await client.SearchAsync<JsonObject>(request, cancellationToken).ConfigureAwait(false);
                    ClusterResponses.Ensure(page, $"scanning [{index}]", index);
                    if (first)
                    {
                        PassTotal?.Invoke(page.HitsMetadata.Total?.Match(total => total!.Value, count => count) ?? 0);
                        first = false;
                    }

                    if (page.Hits.Count == 0)
                    {
                        break;
                    }

                    var documents = new List<ScannedDocument>(page.Hits.Count);
                    foreach (var hit in page.Hits)
                    {
                        documents.Add(new ScannedDocument(hit.Id!, hit.SeqNo ?? 0, hit.PrimaryTerm ?? 0, hit.Source ?? [], hasProjection));
                    }

                    yield return documents;
                    after = [.. page.Hits.Last().Sort!];
                    if (page.Hits.Count < pageSize)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            // Step 4. Not cancellable: a point in time left open holds the readers until it expires. One given by
            // the caller is the caller's to close.
            if (PointInTime is null)
            {
                await client.ClosePointInTimeAsync(c => c.Id(pit), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Refreshes <paramref name="index"/> (so every acknowledged write is seen) and opens a point in time on it.</summary>
    public static async Task<string> OpenAsync(ElasticsearchClient client, string index, string keepAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var refresh = await client.Indices.RefreshAsync(index, cancellationToken).ConfigureAwait(false);
        ClusterResponses.Ensure(refresh, $"refreshing [{index}]", index);
        var pit = await client.OpenPointInTimeAsync(index, p => p.KeepAlive(keepAlive), cancellationToken).ConfigureAwait(false);
        ClusterResponses.Ensure(pit, $"opening a point in time on [{index}]", index);
        return pit.Id;
    }

    private IEnumerable<string> SourceFields()
    {
        foreach (var field in config.TextFields)
        {
            yield return field;
        }

        yield return config.Fields.Model;
        yield return config.Fields.TextHash;
        yield return config.Fields.Stale;
    }
}
