using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Checks that JSON text decodes to Unicode before it is parsed: invalid UTF-8 bytes, and <c>\u</c> escapes that
/// leave a lone surrogate, are <c>x_content_parse_exception</c> (400) with the <c>[line:col]</c> of the offence.
/// </summary>
/// <remarks>
/// System.Text.Json parses such text without complaint and fails only later, when a string is read
/// (<c>Cannot transcode invalid UTF-8</c>, an <see cref="InvalidOperationException"/>): a 500 in the middle of a
/// request. Checking first makes it a client error before any work is done. Elasticsearch's parser (Jackson) reports
/// invalid UTF-8 as <c>Invalid UTF-8 start byte 0x..</c> / <c>middle byte</c>; the engine uses the same words.
/// </remarks>
internal static class JsonText
{
    /// <exception cref="EngineException"><c>x_content_parse_exception</c> for text that does not decode.</exception>
    public static void CheckDecodable(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw InvalidUtf8(utf8);
        }

        // Only escaped strings can hide a lone surrogate; the rest is valid UTF-8, so valid Unicode.
        if (utf8.IndexOf("\\u"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = JsonBody.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    try
                    {
                        reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        var (line, col) = Position(utf8, (int)reader.TokenStartIndex);
                        throw new EngineException(400, "x_content_parse_exception", $"[{line}:{col}] Invalid JSON string: a \\u escape leaves a lone UTF-16 surrogate");
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the parser that follows reports it with its own position.
        }
    }

    private static EngineException InvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Min(utf8.Length, 64 * 1024) + 4);
        try
        {
            // Decode in chunks until the decoder stops at the first invalid byte.
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(utf8[offset..], chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                offset += read;
                if (status != OperationStatus.DestinationTooSmall)
                {
                    break;
                }
            }

            var bad = utf8[Math.Min(offset, utf8.Length - 1)];
            var kind = bad is >= 0x80 and <= 0xBF ? "middle" : "start";
            var (line, col) = Position(utf8, offset);
            return new EngineException(400, "x_content_parse_exception", $"[{line}:{col}] Invalid UTF-8 {kind} byte 0x{bad:x2}");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The 1-based line and column (in bytes) of <paramref name="offset"/>, as the JSON errors report them.</summary>
    private static (int Line, int Col) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..Math.Min(offset, utf8.Length)];
        var line = before.Count((byte)'\n') + 1;
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (line, offset - lastNewline);
    }
}
