using System.Text;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Decodes one path segment as Elasticsearch's <c>RestUtils.decodeComponent</c> does: each <c>%XX</c> is one byte,
/// the bytes are read as UTF-8 (a sequence that is not UTF-8 becomes U+FFFD, as Java's decoder replaces it), and a
/// <c>%</c> not followed by two hexadecimal digits is a 400 with Elasticsearch's wording. So <c>%FF</c> is the id
/// "\uFFFD", never the literal text <c>%FF</c> (which is what <c>%25FF</c> spells).
/// </summary>
internal static class PathDecoder
{
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> for a malformed escape.</exception>
    public static string DecodeComponent(string segment)
    {
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return segment;
        }

        var bytes = new List<byte>(segment.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c != '%')
            {
                var rune = Rune.GetRuneAt(segment, i);
                var length = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < length; b++)
                {
                    bytes.Add(utf8[b]);
                }

                i += rune.Utf16SequenceLength - 1;
                continue;
            }

            if (i == segment.Length - 1)
            {
                throw EngineException.IllegalArgument($"unterminated escape sequence at end of string: {segment}");
            }

            if (i == segment.Length - 2)
            {
                throw EngineException.IllegalArgument($"partial escape sequence at end of string: {segment}");
            }

            var high = HexValue(segment[i + 1]);
            var low = HexValue(segment[i + 2]);
            if (high < 0 || low < 0)
            {
                throw EngineException.IllegalArgument($"invalid escape sequence `%{segment[i + 1]}{segment[i + 2]}' at index {i} of: {segment}");
            }

            bytes.Add((byte)((high * 16) + low));
            i += 2;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
