using System.Text.Json.Serialization;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>What <c>rerank ingest status</c> reports: documents and how many are in each <see cref="DocumentState"/>.</summary>
public sealed record IndexStatus
{
    [JsonPropertyName("documents")]
    public long Documents { get; init; }

    [JsonPropertyName("current")]
    public long Current { get; init; }

    [JsonPropertyName("missing")]
    public long Missing { get; init; }

    [JsonPropertyName("stale")]
    public long Stale { get; init; }

    [JsonPropertyName("other_model")]
    public long OtherModel { get; init; }
}
