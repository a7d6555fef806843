using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>
/// Writes a parsed <c>_source</c> back as compact UTF-8 JSON (no whitespace; number texts kept as written; strings
/// re-escaped minimally, non-ASCII kept as UTF-8) and records where each value starts, so that document errors can
/// carry Elasticsearch's <c>[line:column]</c> prefix.
/// </summary>
/// <remarks>
/// Positions are 1-based byte columns on line 1 of the compact form. For a client that sends compact single-line
/// JSON (as the Elasticsearch clients and bulk NDJSON lines do) they equal the positions Elasticsearch reports;
/// for pretty-printed input Elasticsearch would report other lines and columns, which the parsed object no longer
/// knows.
/// </remarks>
internal sealed class SourceWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = true };

    private readonly Dictionary<JsonNode, int> _starts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonNode, int> _ends = new(ReferenceEqualityComparer.Instance);

    private SourceWriter()
    {
        Bytes = [];
    }

    /// <summary>The compact UTF-8 JSON.</summary>
    public byte[] Bytes { get; private set; }

    /// <summary>Writes <paramref name="source"/>, recording every value's position.</summary>
    public static SourceWriter Write(JsonObject source)
    {
        var result = new SourceWriter();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            result.WriteValue(writer, source, afterSeparator: false);
        }

        result.Bytes = buffer.WrittenSpan.ToArray();
        return result;
    }

    /// <summary>The compact UTF-8 JSON of <paramref name="source"/>, without positions.</summary>
    public static byte[] ToBytes(JsonObject source)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            source.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The 1-based column where <paramref name="node"/> starts, or 0 when unknown (a JSON null).</summary>
    public int Start(JsonNode? node) => node is not null && _starts.TryGetValue(node, out var column) ? column : 0;

    /// <summary>The 1-based column of the closing bracket of an array or object, or its start when unknown.</summary>
    public int End(JsonNode node) => _ends.TryGetValue(node, out var column) ? column : Start(node);

    private static int Position(Utf8JsonWriter writer) => (int)(writer.BytesCommitted + writer.BytesPending);

    private void WriteValue(Utf8JsonWriter writer, JsonNode? node, bool afterSeparator)
    {
        // The writer emits a pending comma together with the next value, so that value starts one byte later.
        var column = Position(writer) + (afterSeparator ? 2 : 1);
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                return;
            case JsonObject obj:
                _starts[node] = column;
                writer.WriteStartObject();
                foreach (var (key, value) in obj)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value, afterSeparator: false);
                }

                writer.WriteEndObject();
                _ends[node] = Position(writer);
                return;
            case JsonArray array:
                _starts[node] = column;
                writer.WriteStartArray();
                for (var i = 0; i < array.Count; i++)
                {
                    WriteValue(writer, array[i], afterSeparator: i > 0);
                }

                writer.WriteEndArray();
                _ends[node] = Position(writer);
                return;
            default:
                _starts[node] = column;
                node.WriteTo(writer);
                return;
        }
    }
}
