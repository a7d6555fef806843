using Microsoft.AspNetCore.Http;
using Rerank.IngestPipeline.Writes;

namespace Rerank.Sidecar.Writes;

/// <summary>
/// The write endpoints the sidecar rewrites: <c>POST|PUT /_bulk</c>, <c>POST|PUT /{index}/_bulk</c>,
/// <c>POST /{index}/_doc</c>, <c>PUT|POST /{index}/_doc/{id}</c>, <c>PUT|POST /{index}/_create/{id}</c>,
/// <c>POST /{index}/_update/{id}</c>. Anything else is forwarded untouched.
/// </summary>
/// <param name="Bulk">True for the bulk endpoints (then <see cref="Kind"/> is unused).</param>
/// <param name="Kind">The single-document write's kind.</param>
/// <param name="Index">The path's index (null for <c>/_bulk</c>).</param>
/// <param name="Id">The path's document id, when it has one.</param>
internal readonly record struct WriteRoute(bool Bulk, DocumentWriteKind Kind, string? Index, string? Id = null)
{
    public static WriteRoute? Match(string method, PathString path)
    {
        var post = HttpMethods.IsPost(method);
        var put = HttpMethods.IsPut(method);
        if ((!post && !put) || !path.HasValue)
        {
            return null;
        }

        var segments = path.Value!.Split('/');
        if (segments[0].Length != 0)
        {
            return null;
        }

        switch (segments.Length)
        {
            case 2 when segments[1] == "_bulk":
                return new WriteRoute(true, default, null);
            case 3 when IsIndex(segments[1]) && segments[2] == "_bulk":
                return new WriteRoute(true, default, segments[1]);
            case 3 when post && IsIndex(segments[1]) && segments[2] == "_doc":
                return new WriteRoute(false, DocumentWriteKind.Index, segments[1]);
            case 4 when IsIndex(segments[1]) && segments[3].Length > 0:
                return segments[2] switch
                {
                    "_doc" => new WriteRoute(false, DocumentWriteKind.Index, segments[1], segments[3]),
                    "_create" => new WriteRoute(false, DocumentWriteKind.Create, segments[1], segments[3]),
                    "_update" when post => new WriteRoute(false, DocumentWriteKind.Update, segments[1], segments[3]),
                    _ => null,
                };
            default:
                return null;
        }
    }

    // A write targets one index or alias: API paths (leading '_'), lists and patterns are the cluster's to answer.
    private static bool IsIndex(string segment) =>
        segment.Length > 0 && segment[0] != '_' && segment.AsSpan().IndexOfAny(",*") < 0;
}
