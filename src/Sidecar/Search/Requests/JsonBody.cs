using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// Reads a search body and writes the bodies derived from it. Values the planner does not change are copied with
/// <see cref="JsonElement.WriteTo"/>, which writes numbers exactly as the user wrote them (<c>1.0</c> stays <c>1.0</c>)
/// and strings with the same content; comments (Elasticsearch accepts them) are dropped.
/// </summary>
internal static class JsonBody
{
    /// <summary>Jackson's default nesting limit in Elasticsearch; a deeper body is left for the cluster to refuse.</summary>
    public const int MaxDepth = 1000;

    // Elasticsearch refuses duplicate keys ("Duplicate field"), so a body that has them is not planned: the cluster answers it.
    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    // The bodies go to the cluster, never into HTML: keep non-ASCII text as UTF-8 rather than \u escapes. The wrappers
    // the planner adds (bool, must, filter, ids) nest a copied value a few levels deeper than the parser allowed.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 16,
    };

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Parses <paramref name="body"/>: true with a document (null for an empty or blank body), false when it is not
    /// JSON, is nested deeper than <see cref="MaxDepth"/> or repeats a key in an object.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument? document)
    {
        document = null;
        if (body.Span.StartsWith(Utf8ByteOrderMark))
        {
            // Jackson skips a byte order mark; JsonDocument reads one only from a stream.
            body = body[Utf8ByteOrderMark.Length..];
        }

        if (IsBlank(body.Span))
        {
            return true;
        }

        // Text the sidecar cannot read exactly (invalid UTF-8, an escaped surrogate without its pair) is the cluster's to
        // answer: System.Text.Json would throw on reading such a string, Elasticsearch refuses the first and keeps the second.
        if (!Utf8.IsValid(body.Span) || HasLoneSurrogateEscape(body.Span))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns its UTF-8 bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when <paramref name="root"/> carries <c>ext.rerank</c> (<c>ext</c> being an object).</summary>
    public static bool HasRerankExtension(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty(SearchBodyKeys.Ext, out var ext)
        && ext.ValueKind == JsonValueKind.Object
        && ext.TryGetProperty(SearchBodyKeys.Rerank, out _);

    /// <summary>
    /// Copies the property <c>ext</c> without its <c>rerank</c> key, or writes nothing when that leaves it empty.
    /// <paramref name="ext"/> must be an object.
    /// </summary>
    public static void WriteExtWithoutRerank(Utf8JsonWriter writer, JsonProperty ext)
    {
        var others = ext.Value.EnumerateObject().Where(p => p.Name != SearchBodyKeys.Rerank).ToList();
        if (others.Count == 0)
        {
            return;
        }

        writer.WritePropertyName(ext.Name);
        writer.WriteStartObject();
        foreach (var other in others)
        {
            other.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>The body without <c>ext.rerank</c> (and without <c>ext</c> when that empties it), every other key as written.</summary>
    public static byte[] WithoutRerankExtension(JsonElement root) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == SearchBodyKeys.Ext)
            {
                WriteExtWithoutRerank(writer, property);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    });

    /// <summary>A value for an error message: a string's text, else the JSON as written, cut to 64 characters.</summary>
    public static string Describe(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();
        return text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");
    }

    /// <summary>
    /// True when a string of <paramref name="json"/> (a backslash always starts an escape in JSON) has a
    /// <c>\uD800</c>-<c>\uDFFF</c> escape that is not half of a high-low pair. Any bytes may be given (an upstream
    /// answer not yet parsed); the scan is linear.
    /// </summary>
    internal static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var pendingHigh = false;
        var i = 0;
        while (true)
        {
            var next = json[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                // Text after a high surrogate's escape that is not its low half (or the end).
                return pendingHigh;
            }

            if (next > 0 && pendingHigh)
            {
                return true;
            }

            i += next;
            if (i + 5 >= json.Length || json[i + 1] != (byte)'u'
                || !ushort.TryParse(json.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                // Another escape (\n, \\, ...): two bytes.
                if (pendingHigh)
                {
                    return true;
                }

                i = Math.Min(i + 2, json.Length);
                continue;
            }

            i += 6;
            if (char.IsLowSurrogate((char)unit) != pendingHigh)
            {
                // A low half without a high one before it, or a high half not followed by its low one.
                return true;
            }

            pendingHigh = char.IsHighSurrogate((char)unit);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
