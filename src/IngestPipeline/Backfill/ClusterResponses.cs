using Elastic.Transport.Products.Elasticsearch;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>Turns an unsuccessful answer of the official client into an <see cref="IngestException"/> that says why.</summary>
internal static class ClusterResponses
{
    /// <summary>Throws unless <paramref name="response"/> is valid.</summary>
    /// <param name="response">The client's answer.</param>
    /// <param name="action">What was being done, for the message ("reading the mapping of [scifact]").</param>
    /// <param name="index">The index the call named, for <c>index_not_found_exception</c>.</param>
    public static void Ensure(ElasticsearchResponse response, string action, string index)
    {
        if (response.IsValidResponse)
        {
            return;
        }

        throw Describe(response, action, index);
    }

    public static IngestException Describe(ElasticsearchResponse response, string action, string index)
    {
        var details = response.ApiCallDetails;
        if (details.HttpStatusCode is null)
        {
            var where = details.Uri is { } uri ? uri.GetLeftPart(UriPartial.Authority) : "the cluster";
            var why = details.OriginalException?.GetBaseException().Message ?? "no answer";
            return new IngestException($"cannot reach the cluster at {where} while {action}: {why}", details.OriginalException!);
        }

        if (response.ElasticsearchServerError?.Error is { } error)
        {
            if (error.Type == "index_not_found_exception")
            {
                return new IngestException($"index [{index}] does not exist (create and init it with `rerank ingest init`)");
            }

            return new IngestException($"{action} failed: HTTP {details.HttpStatusCode} {error.Type}: {error.Reason}");
        }

        return new IngestException($"{action} failed: HTTP {details.HttpStatusCode}");
    }
}
