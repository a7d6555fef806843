using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.MappingBootstrap;
using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>
/// <c>rerank ingest backfill</c>: brings every document of an index (or of one slice) up to date with the configured
/// model, without ever overwriting a newer write.
/// </summary>
/// <remarks>
/// 1. Read the index's config and mapping; refuse a bundle whose id is not the configured model, and a mapping that
///    cannot hold the bundle's vectors.
/// 2. Scan (<see cref="IndexScanner"/>) and classify each document (<see cref="DocumentClassifier"/>); current ones
///    are skipped, so a second run after an interruption only does what is left (resumption needs no state).
/// 3. Encode the others in batches of <see cref="BackfillOptions.BatchSize"/> and write the stored fields back with one
///    <c>_bulk</c> of partial updates, each carrying <c>if_seq_no</c>/<c>if_primary_term</c> of the version that was
///    read: a write that came in between makes the update fail with 409 instead of replacing newer text's vectors.
/// 4. A 409 is retried from a fresh read of the document (re-classified, re-encoded, written under the new sequence
///    number), at most <see cref="BackfillOptions.MaxConflictRetries"/> times. A document deleted meanwhile is left alone.
/// 5. A model failure or a refused write counts the documents as failed and the run goes on; an unreachable cluster
///    ends it.
/// One run per instance (the counts accumulate).
/// </remarks>
internal sealed class BackfillRunner(ElasticsearchClient client, IPassageEncoder encoder)
{
    private const int MaxFailureSamples = 10;

    private readonly List<string> _failures = [];
    private long _seen;
    private long _total;
    private long _done;
    private long _skipped;
    private long _conflicts;
    private long _deleted;
    private long _failed;

    /// <summary>
    /// Test seam: runs after a batch (or a retried document) is encoded and before its updates are sent, with the ids
    /// about to be written.
    /// </summary>
    internal Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeWrite { get; init; }

    /// <exception cref="IngestException">The cluster cannot be reached; the index is missing, has no valid config, or
    /// is configured for another model; or its mapping cannot hold the bundle's vectors.</exception>
    public async Task<BackfillReport> RunAsync(string index, BackfillOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);

        // Step 1.
        var mappings = await ClusterIndex.GetMappingsAsync(client, index, cancellationToken).ConfigureAwait(false);
        var config = ClusterIndex.ConfigOf(index, mappings);
        if (!string.Equals(config.ModelId, encoder.ModelId, StringComparison.Ordinal))
        {
            throw new IngestException(
                $"index [{index}] is configured for model [{config.ModelId}] (_meta.rerank.model) but the bundle is model [{encoder.ModelId}]; " +
                "pass the configured model's bundle, or switch the index to this model with `rerank ingest init --model <bundle>` first (every document is then re-encoded)");
        }

        var differences = MappingCompatibility.Differences(mappings, config, encoder.Dim, encoder.ProjectionDim);
        if (differences.Count > 0)
        {
            throw new IngestException($"the mapping of [{index}] cannot hold this model's vectors: {string.Join("; ", differences)}");
        }

        // Step 2.
        var scanner = new IndexScanner(client, index, config, options.Slice, Math.Max(options.BatchSize, 100))
        {
            PassTotal = total => _total += total,
            PointInTime = options.PointInTime,
        };
        var pending = new List<(ScannedDocument Document, string Text)>(options.BatchSize);
        await foreach (var page in scanner.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in page)
            {
                _seen++;
                if (DocumentClassifier.Classify(document.Source, document.HasProjection, config, out var text) == DocumentState.Current)
                {
                    _skipped++;
                    continue;
                }

                pending.Add((document, text));
                if (pending.Count == options.BatchSize)
                {
                    await WriteBatchAsync(index, config, pending, options, cancellationToken).ConfigureAwait(false);
                    pending.Clear();
                }
            }

            Report(options);
        }

        if (pending.Count > 0)
        {
            await WriteBatchAsync(index, config, pending, options, cancellationToken).ConfigureAwait(false);
        }

        Report(options);
        return new BackfillReport
        {
            Done = _done,
            Skipped = _skipped,
            Conflicts = _conflicts,
            Deleted = _deleted,
            Failed = _failed,
            FailureSamples = [.. _failures],
        };
    }

    /// <summary>The partial document that stores <paramref name="item"/> of <paramref name="encoded"/> for <paramref name="text"/>, clearing any stale mark.</summary>
    internal static JsonObject StoredFields(RerankIndexConfig config, string modelId, PassageEncoding encoded, int item, string text)
    {
        var doc = new JsonObject();
        SourcePath.Set(doc, config.Fields.Projection, ProjectionCodec.Encode(encoded.Projection(item).Span, config.ProjectionEncoding));
        if (config.Fields.Embedding is { } embeddingField)
        {
            var embedding = new JsonArray();
            foreach (var value in encoded.Embedding(item).Span)
            {
                embedding.Add(value);
            }

            SourcePath.Set(doc, embeddingField, embedding);
        }

        SourcePath.Set(doc, config.Fields.Model, modelId);
        SourcePath.Set(doc, config.Fields.TextHash, PassageText.Hash(text));
        SourcePath.Set(doc, config.Fields.Stale, null);
        return doc;
    }

    private void Report(BackfillOptions options) =>
        options.Progress?.Report(new BackfillProgress(_seen, _total, _done, _skipped, _conflicts, _failed));

    // Step 3.
    private async Task WriteBatchAsync(
        string index, RerankIndexConfig config, List<(ScannedDocument Document, string Text)> batch, BackfillOptions options, CancellationToken cancellationToken)
    {
        var encoded = Encode(batch.Select(item => item.Text).ToList(), batch.Select(item => item.Document.Id), cancellationToken);
        if (encoded is null)
        {
            return;
        }

        if (BeforeWrite is not null)
        {
            await BeforeWrite(batch.Select(item => item.Document.Id).ToList(), cancellationToken).ConfigureAwait(false);
        }

        // The typed bulk update writes if_seq_no/if_primary_term both into the action line and into the body line;
        // Elasticsearch's UpdateRequest parser reads either, and so does the embedded engine.
        var request = new BulkRequest(index) { Operations = [] };
        for (var i = 0; i < batch.Count; i++)
        {
            var document = batch[i].Document;
            request.Operations.Add(new BulkUpdateOperation<JsonObject, JsonObject>(document.Id)
            {
                Doc = StoredFields(config, encoder.ModelId, encoded, i, batch[i].Text),
                IfSequenceNumber = document.SeqNo,
                IfPrimaryTerm = document.PrimaryTerm,
            });
        }

        var response = await client.BulkAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Items is null || response.Items.Count != batch.Count)
        {
            throw ClusterResponses.Describe(response, $"writing vectors to [{index}]", index);
        }

        var conflicted = new List<string>();
        for (var i = 0; i < batch.Count; i++)
        {
            var item = response.Items.ElementAt(i);
            switch (item.Status)
            {
                case >= 200 and < 300:
                    _done++;
                    break;
                case 409:
                    _conflicts++;
                    conflicted.Add(batch[i].Document.Id);
                    break;
                case 404:
                    _deleted++;
                    break;
                default:
                    Fail(batch[i].Document.Id, $"HTTP {item.Status} {item.Error?.Type}: {item.Error?.Reason}");
                    break;
            }
        }

        foreach (var id in conflicted)
        {
            await RetryAsync(index, config, id, options.MaxConflictRetries, cancellationToken).ConfigureAwait(false);
        }
    }

    // Step 4.
    private async Task RetryAsync(string index, RerankIndexConfig config, string id, int attempts, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var got = await client.GetAsync<JsonObject>(index, id, cancellationToken).ConfigureAwait(false);
            if (!got.Found)
            {
                if (got.ApiCallDetails.HttpStatusCode == 404)
                {
                    _deleted++;
                    return;
                }

                throw ClusterResponses.Describe(got, $"re-reading [{index}/{id}] after a conflict", index);
            }

            var source = got.Source ?? [];
            var hasProjection = SourcePath.Get(source, config.Fields.Projection) is not null;
            if (DocumentClassifier.Classify(source, hasProjection, config, out var text) == DocumentState.Current)
            {
                // The newer write brought its own current vectors.
                _skipped++;
                return;
            }

            var encoded = Encode([text], [id], cancellationToken);
            if (encoded is null)
            {
                return;
            }

            if (BeforeWrite is not null)
            {
                await BeforeWrite([id], cancellationToken).ConfigureAwait(false);
            }

            var updated = await client.UpdateAsync<JsonObject, JsonObject>(index, id, u => u
                .Doc(StoredFields(config, encoder.ModelId, encoded, 0, text))
                .IfSeqNo(got.SeqNo!.Value)
                .IfPrimaryTerm(got.PrimaryTerm!.Value), cancellationToken).ConfigureAwait(false);
            if (updated.IsValidResponse)
            {
                _done++;
                return;
            }

            switch (updated.ApiCallDetails.HttpStatusCode)
            {
                case 409:
                    _conflicts++;
                    continue;
                case 404:
                    _deleted++;
                    return;
                case null:
                    throw ClusterResponses.Describe(updated, $"writing vectors to [{index}/{id}]", index);
                default:
                    Fail(id, ClusterResponses.Describe(updated, "the update", index).Message);
                    return;
            }
        }

        Fail(id, $"still conflicting after {attempts} fresh reads (the document is being rewritten faster than it can be encoded)");
    }

    // Step 5.
    private PassageEncoding? Encode(IReadOnlyList<string> texts, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        try
        {
            return encoder.Encode(texts, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            foreach (var id in ids)
            {
                Fail(id, $"the model failed: {exception.Message}");
            }

            return null;
        }
    }

    private void Fail(string id, string why)
    {
        _failed++;
        if (_failures.Count < MaxFailureSamples)
        {
            _failures.Add($"[{id}] {why}");
        }
    }
}
