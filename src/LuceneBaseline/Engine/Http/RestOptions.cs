using Microsoft.AspNetCore.Http;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// <c>OPTIONS</c>, answered as Elasticsearch's <c>RestController</c> answers it: 200 with an empty body and, when the
/// path has handlers, an <c>Allow</c> header listing their methods separated by commas.
/// </summary>
internal static class RestOptions
{
    public static RestResponse Answer(HttpContext context, RestRoute? route)
    {
        if (route is not null && route.Handlers.Count > 0)
        {
            context.Response.Headers.Allow = string.Join(',', route.Handlers.Keys);
        }

        return RestResponse.Empty(StatusCodes.Status200OK);
    }
}
