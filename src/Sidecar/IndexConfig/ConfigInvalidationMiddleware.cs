using Microsoft.AspNetCore.Http;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// Empties the config cache around every request that can change mappings (<see cref="MappingChangeRule"/>): before it
/// is forwarded, and again when the upstream's answer starts, before the client sees it (so a lookup racing the change
/// is not kept, and a client that saw the answer never reads the old config). An answer that never started (the
/// upstream failed or the client left) empties it once more at the end, as the change may have happened.
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
        context.Response.OnStarting(() =>
        {
            configs.Invalidate();
            return Task.CompletedTask;
        });
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (!context.Response.HasStarted)
            {
                configs.Invalidate();
            }
        }
    }
}
