using System.Text.Json;

namespace Rerank.IngestPipeline.Bulk;

/// <summary>A parsed bulk action line: <c>{"index"|"create"|"update"|"delete": {"_index": ..., ...}}</c>.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Index">The action's <c>_index</c>, or null when it has none (the path's index applies).</param>
/// <param name="InvalidIndex">The action has an <c>_index</c> that is not one string: the cluster rejects the item.</param>
/// <param name="Id">The action's <c>_id</c> when it is a string, else null.</param>
/// <param name="Routing">The action's <c>routing</c> when it is a string, else null.</param>
internal readonly record struct BulkActionLine(BulkActionKind Kind, string? Index, bool InvalidIndex, string? Id = null, string? Routing = null)
{
    /// <summary>
    /// Reads an action line. False when it is not one Elasticsearch accepts (not JSON, not exactly one of the four
    /// actions with an object): the cluster then rejects the request itself.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out BulkActionLine action)
    {
        action = default;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            BulkActionKind kind;
            if (reader.ValueTextEquals("index"u8))
            {
                kind = BulkActionKind.Index;
            }
            else if (reader.ValueTextEquals("create"u8))
            {
                kind = BulkActionKind.Create;
            }
            else if (reader.ValueTextEquals("update"u8))
            {
                kind = BulkActionKind.Update;
            }
            else if (reader.ValueTextEquals("delete"u8))
            {
                kind = BulkActionKind.Delete;
            }
            else
            {
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? index = null;
            string? id = null;
            string? routing = null;
            var indexSeen = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return false;
                }

                var isIndex = reader.ValueTextEquals("_index"u8);
                var isId = reader.ValueTextEquals("_id"u8);
                var isRouting = reader.ValueTextEquals("routing"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if ((isId || isRouting) && reader.TokenType == JsonTokenType.String)
                {
                    if (isId)
                    {
                        id = reader.GetString();
                    }
                    else
                    {
                        routing = reader.GetString();
                    }
                }

                if (isIndex)
                {
                    // A non-string or repeated _index is the cluster's to reject; this item is then left alone.
                    index = !indexSeen && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    indexSeen = true;
                }

                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndObject || !reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            action = new BulkActionLine(kind, index, indexSeen && index is null, id, routing);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
