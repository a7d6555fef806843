using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Benchmarks.Storage;

/// <summary>
/// One way to store and fetch u_p: the <see cref="ProjectionEncoding"/> its field is written with, and how the
/// first-stage search asks for it. Elasticsearch refuses <c>docvalue_fields</c> on a <c>dense_vector</c>, so float32
/// is read through <c>fields</c> or <c>_source</c>.
/// </summary>
internal sealed record ProjectionCase(ProjectionEncoding Encoding, ProjectionFetch Fetch)
{
    /// <summary>Every case measured; the first (float32 through <c>fields</c>) is the baseline of the ratios.</summary>
    public static readonly IReadOnlyList<ProjectionCase> All =
    [
        new(ProjectionEncoding.Float32, ProjectionFetch.Fields),
        new(ProjectionEncoding.Float32, ProjectionFetch.Source),
        new(ProjectionEncoding.Float16, ProjectionFetch.DocValueFields),
        new(ProjectionEncoding.Float16, ProjectionFetch.Source),
        new(ProjectionEncoding.Int8, ProjectionFetch.DocValueFields),
        new(ProjectionEncoding.Int8, ProjectionFetch.Source),
    ];

    public string Name => $"{ProjectionEncodingNames.ToName(Encoding)} via {Fetch switch
    {
        ProjectionFetch.Fields => "fields",
        ProjectionFetch.DocValueFields => "docvalue_fields",
        _ => "_source",
    }}";

    /// <summary>
    /// The body the sidecar's first stage sends: <paramref name="query"/>, <paramref name="size"/> hits, and the
    /// projection at <paramref name="path"/> in this case's way (nothing else of the source).
    /// </summary>
    public JsonObject SearchBody(JsonObject query, int size, string path)
    {
        var body = new JsonObject { ["query"] = query.DeepClone(), ["size"] = size };
        switch (Fetch)
        {
            case ProjectionFetch.Fields:
                body["_source"] = false;
                body["fields"] = new JsonArray(path);
                break;
            case ProjectionFetch.DocValueFields:
                body["_source"] = false;
                body["docvalue_fields"] = new JsonArray(path);
                break;
            default:
                body["_source"] = new JsonArray(path);
                break;
        }

        return body;
    }
}
