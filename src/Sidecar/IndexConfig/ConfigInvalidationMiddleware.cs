using Microsoft.AspNetCore.Http;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// Empties the config cache around every request that can change mappings (<see cref="MappingChangeRule"/>): before it
/// is forwarded and again when its answer is done, so a lookup racing the change is not kept.
/// </summary>
internal sealed class ConfigInvalidationMiddleware(RequestDelegate next, SidecarIndexConfigSource configs)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!MappingChangeRule.CanChangeMappings(context.Request.Method, context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        configs.Invalidate();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            configs.Invalidate();
        }
    }
}
