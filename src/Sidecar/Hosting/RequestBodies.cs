using System.IO.Compression;

namespace Rerank.Sidecar.Hosting;

/// <summary>
/// Reading a request body the sidecar must look into (a search, a mapping change): bounded as sent, and decoded per
/// <c>Content-Encoding</c> with the same bound, so neither a large body nor a small compressed one that inflates
/// without end (a "zip bomb") can hold more than the limit in memory.
/// </summary>
internal static class RequestBodies
{
    /// <summary>Up to <paramref name="limit"/> + 1 bytes of <paramref name="stream"/>: more than the limit means too large.</summary>
    public static async Task<byte[]> ReadAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while (buffer.Length <= limit
            && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// <paramref name="raw"/> decoded per <paramref name="contentEncoding"/> (identity, gzip, deflate, br), up to
    /// <paramref name="limit"/> + 1 bytes; null for a coding the sidecar does not read (several, or unknown) or a broken body.
    /// </summary>
    public static async Task<byte[]?> DecodeAsync(string contentEncoding, byte[] raw, long limit, CancellationToken cancellationToken)
    {
        var source = new MemoryStream(raw, writable: false);
        Stream? stream = contentEncoding.Trim().ToLowerInvariant() switch
        {
            "" or "identity" => null,
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
            "deflate" => new ZLibStream(source, CompressionMode.Decompress),
            "br" => new BrotliStream(source, CompressionMode.Decompress),
            _ => Stream.Null,
        };
        if (stream is null)
        {
            return raw;
        }

        if (stream == Stream.Null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await ReadAsync(stream, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
            {
                // A broken gzip/deflate stream throws InvalidDataException, a broken brotli one InvalidOperationException.
                return null;
            }
        }
    }
}
