using Microsoft.AspNetCore.Http;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Failures to read a request body that are the client's doing, as 400s: a malformed chunked encoding or other
/// framing error Kestrel reports (<see cref="BadHttpRequestException"/>, except the 413 of a body over the limit, which
/// Elasticsearch answers without a body), and a <c>Content-Encoding</c> (gzip, br, deflate) whose data does not
/// decompress.
/// </summary>
internal static class BodyErrors
{
    /// <summary>The error to answer for <paramref name="exception"/>, or null when it is not a body-reading failure.</summary>
    public static EngineException? Describe(HttpContext context, Exception exception)
    {
        if (exception is BadHttpRequestException bad && bad.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            return new EngineException(bad.StatusCode, "illegal_argument_exception", $"the request could not be read: {bad.Message}");
        }

        // The decompression middleware has removed the Content-Encoding header by now; the failure is known by where
        // it was thrown: System.IO.Compression's decoders, reading the request body.
        if (exception is InvalidDataException or InvalidOperationException && FromDecompression(exception))
        {
            return new EngineException(400, "illegal_argument_exception", $"the request body could not be decompressed: {exception.Message}");
        }

        return null;
    }

    private static bool FromDecompression(Exception exception) =>
        exception.StackTrace?.Contains("System.IO.Compression.", StringComparison.Ordinal) == true;
}
