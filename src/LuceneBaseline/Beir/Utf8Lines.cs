using System.Text;

namespace Rerank.LuceneBaseline.Beir;

/// <summary>
/// The lines of a UTF-8 file, decoded strictly: a line that is not valid UTF-8 is a <see cref="BeirFormatException"/>
/// naming the file and the line (a <see cref="StreamReader"/> would replace the bytes with U+FFFD and go on, or, made
/// strict, fail at a buffer boundary without a line number). Lines end with "\n" or "\r\n"; a leading BOM is skipped.
/// </summary>
internal static class Utf8Lines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<(int LineNumber, string Line)> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        var (start, end, lineNumber) = (0, 0, 0);
        while (true)
        {
            var length = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (length < 0)
            {
                // No full line in the buffer: keep the partial one at the front, grow for a long line, read more.
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (end, start) = (end - start, 0);
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read > 0)
                {
                    end += read;
                    continue;
                }

                if (end > 0)
                {
                    var last = Decode(path, ++lineNumber, buffer, 0, end);
                    yield return (lineNumber, last);
                }

                yield break;
            }

            var line = Decode(path, ++lineNumber, buffer, start, length);
            start += length + 1;
            yield return (lineNumber, line);
        }
    }

    private static string Decode(string path, int lineNumber, byte[] buffer, int start, int length)
    {
        var bytes = buffer.AsSpan(start, length);
        if (lineNumber == 1 && bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw new BeirFormatException(path, lineNumber, "the line is not valid UTF-8", exception);
        }
    }
}
