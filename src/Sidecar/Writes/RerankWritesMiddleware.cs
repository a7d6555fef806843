using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Rerank.IngestPipeline.Bulk;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Writes;

/// <summary>
/// Replaces the body of the write requests of <see cref="WriteRoute"/> with the body <see cref="WritePipeline"/>
/// rewrites, then calls the next handler (the forwarder). docs/write-path.md.
/// </summary>
/// <remarks>
/// 1. Bodies that are not JSON (<c>Content-Type</c> without <c>json</c>) or have an encoding other than gzip, deflate
///    or br pass untouched; gzip, deflate and br are decoded and sent on uncompressed.
/// 2. <c>_bulk</c>: the rewrite runs in a background task into a pipe the forwarder reads, so the body is streamed
///    (sent chunked, <c>Content-Length</c> removed). The forwarder is called once the first window is written, so an
///    invalid <c>_meta.rerank</c> of the first window's indices is still a clean 400.
/// 3. Single documents: the body is read whole (up to <c>MaxLineBytes</c>; a larger one is forwarded as is),
///    rewritten, and sent with its new <c>Content-Length</c>.
/// 4. Scripted updates of enabled indices change the text in ways the sidecar cannot see: once the cluster has
///    answered (200 for a bulk, whose items are not read, so a failed script is marked too; 2xx for <c>_update</c>),
///    <see cref="StaleMarker"/> marks their documents <c>script_update</c>.
/// </remarks>
internal sealed partial class RerankWritesMiddleware(RequestDelegate next, WritePipeline pipeline, StaleMarker marker, ILogger<RerankWritesMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var route = WriteRoute.Match(request.Method, request.Path);
        if (route is null || !IsJson(request.ContentType))
        {
            await next(context);
            return;
        }

        // Step 1.
        var body = Decoded(request);
        if (body is null)
        {
            Log.EncodedBodyPassedThrough(logger, request.Headers.ContentEncoding.ToString());
            await next(context);
            return;
        }

        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        try
        {
            if (route.Value.Bulk)
            {
                await BulkAsync(context, body, route.Value.Index, authorization);
            }
            else
            {
                await DocumentAsync(context, body, route.Value, authorization);
            }
        }
        catch (RerankConfigException exception)
        {
            await RefuseAsync(context, exception);
        }
    }

    private async Task BulkAsync(HttpContext context, Stream body, string? index, string? authorization)
    {
        // Step 2.
        var pipe = new Pipe();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Cancelled when the forwarder is done: a body the upstream stopped reading need not be encoded any further.
        using var forwarded = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var aborted = forwarded.Token;
        BulkRewriteSummary? summary = null;
        var producer = Task.Run(async () =>
        {
            try
            {
                await using var output = new FirstWriteStream(pipe.Writer.AsStream(leaveOpen: true), started);
                summary = await pipeline.RewriteBulkAsync(body, output, index, authorization, aborted);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception exception)
            {
                await pipe.Writer.CompleteAsync(exception);
                throw;
            }
            finally
            {
                started.TrySetResult();
            }
        });

        await Task.WhenAny(started.Task, producer);
        if (producer.IsFaulted)
        {
            await producer;
        }

        var request = context.Request;
        request.Body = pipe.Reader.AsStream();
        request.ContentLength = null;
        request.Headers.TransferEncoding = "chunked";
        try
        {
            await next(context);
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
            await forwarded.CancelAsync();
            try
            {
                await producer;
            }
            catch (RerankConfigException exception) when (!context.Response.HasStarted)
            {
                // A later window's index: the forwarder saw the body fail before the cluster answered.
                context.Response.Clear();
                await RefuseAsync(context, exception);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or RerankConfigException)
            {
                Log.BulkRewriteStopped(logger, exception);
            }
        }

        // Step 4: the cluster has answered the bulk; its scripted updates of enabled indices are marked stale.
        if (summary is { ScriptedUpdates.Count: > 0 } && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            await marker.MarkAsync(summary.ScriptedUpdates, authorization, context.RequestAborted);
        }
    }

    private async Task DocumentAsync(HttpContext context, Stream body, WriteRoute route, string? authorization)
    {
        // Step 3.
        var request = context.Request;
        var limit = pipeline.Options.MaxLineBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= limit && (read = await body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (buffer.Length > limit)
        {
            Log.DocumentTooLarge(logger, limit);
            request.Body = new PrefixedStream(bytes.ToArray(), body);
            await next(context);
            return;
        }

        var rewritten = await pipeline.RewriteDocumentAsync(route.Kind, route.Index!, bytes, authorization, context.RequestAborted);
        var scripted = route.Kind == DocumentWriteKind.Update && route.Id is not null && DocumentEditor.HasScript(bytes.Span)
            ? await pipeline.Configs.GetAsync(route.Index!, authorization, context.RequestAborted)
            : null;
        var forwarded = rewritten ?? bytes.ToArray();
        request.Body = new MemoryStream(forwarded, writable: false);
        request.ContentLength = forwarded.Length;
        await next(context);

        // Step 4, for one scripted update that the cluster applied.
        if (scripted is { Enabled: true } && context.Response.StatusCode is >= 200 and < 300)
        {
            var routing = request.Query["routing"].ToString();
            await marker.MarkAsync([new ScriptedUpdate(route.Index!, route.Id!, routing.Length > 0 ? routing : null, scripted.Fields.Stale)], authorization, context.RequestAborted);
        }
    }

    private static Stream? Decoded(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        Stream? body = encoding.ToLowerInvariant() switch
        {
            "" or "identity" => request.Body,
            "gzip" or "x-gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "br" => new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => null,
        };
        if (body is not null && encoding.Length > 0)
        {
            request.Headers.Remove(HeaderNames.ContentEncoding);
            request.ContentLength = null;
            request.Headers.TransferEncoding = "chunked";
        }

        return body;
    }

    private static bool IsJson(string? contentType) =>
        contentType is null || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Elasticsearch's error shape, 400 <c>illegal_argument_exception</c> with the config's errors.</summary>
    private async Task RefuseAsync(HttpContext context, RerankConfigException exception)
    {
        Log.InvalidConfig(logger, exception.Index, exception.Message);
        await ElasticsearchError.WriteAsync(context, StatusCodes.Status400BadRequest, "illegal_argument_exception", exception.Message, context.RequestAborted);
    }
}
