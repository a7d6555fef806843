using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;

namespace Rerank.IngestPipeline.Writes;

/// <summary>
/// The per-document rules of the write path (docs/write-path.md): what of a write body gets vectors, what is marked
/// stale, what is left alone, and how the stored fields of docs/index-config.md are written.
/// </summary>
internal static class DocumentEditor
{
    private static readonly JsonSerializerOptions Serializer = new()
    {
        // Keep non-ASCII text as the client sent it (JSON-equal either way; smaller and closer to the original).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    /// <summary>True when an update body has a top-level <c>script</c>; false for anything else, malformed bodies included.</summary>
    public static bool HasScript(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("script"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>
    /// Parses <paramref name="body"/> and applies the rules that need no model; null when the write is forwarded
    /// unchanged (not a JSON object, or nothing in it concerns the passage).
    /// </summary>
    /// <remarks>
    /// Index/create: the source is a target unless it already carries current stored fields (<see cref="IsCurrent"/>).
    /// Update:
    /// 1. <c>script</c>: the script's effect on the text is unknown; the body is left alone and counted
    ///    (<c>script_update</c>). An <c>upsert</c> beside it is a whole source (used when the document is missing)
    ///    and is a target, unless <c>scripted_upsert</c> runs the script on it too.
    /// 2. <c>doc</c> setting every text field: the new text is known, the doc is a target.
    /// 3. <c>doc</c> setting some text fields: stale <c>partial_update</c>, projection, embedding and hash set to null.
    /// 4. <c>doc</c> setting none: left alone. <c>doc_as_upsert</c> changes nothing of 2-4 (the doc is then the source).
    /// 5. <c>upsert</c> beside a <c>doc</c>: a target, like a source.
    /// </remarks>
    public static PreparedWrite? Prepare(DocumentWriteKind kind, ReadOnlySpan<byte> body, RerankIndexConfig config, IngestMetrics metrics)
    {
        JsonObject? root;
        try
        {
            // Duplicate keys are checked while parsing (JsonObject would otherwise fail later, on first lookup).
            root = JsonNode.Parse(body, documentOptions: StrictDocument) as JsonObject;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            // Malformed or duplicate keys: the cluster gives its own per-item error.
            return null;
        }

        if (root is null)
        {
            return null;
        }

        var targets = new List<VectorTarget>();
        var changed = false;
        if (kind != DocumentWriteKind.Update)
        {
            AddTarget(root, config, isPartial: false, targets, metrics);
            return targets.Count > 0 ? new PreparedWrite(root, targets) : null;
        }

        var hasScript = root.ContainsKey("script");
        if (hasScript)
        {
            // Step 1.
            metrics.Stale(StaleReason.ScriptUpdate);
        }
        else if (root["doc"] is JsonObject doc)
        {
            if (PassageText.CoversText(doc, config))
            {
                // Step 2.
                AddTarget(doc, config, isPartial: true, targets, metrics);
            }
            else if (PassageText.TouchesText(doc, config))
            {
                // Step 3.
                MarkPartial(doc, config.Fields, StaleReason.PartialUpdate);
                metrics.Stale(StaleReason.PartialUpdate);
                changed = true;
            }
        }

        var scriptedUpsert = root["scripted_upsert"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        if (root["upsert"] is JsonObject upsert && !(hasScript && scriptedUpsert))
        {
            // Steps 1 and 5.
            AddTarget(upsert, config, isPartial: false, targets, metrics);
        }

        return changed || targets.Count > 0 ? new PreparedWrite(root, targets) : null;
    }

    /// <summary>Writes each target's outcome into its object: the vectors, or no vectors and the stale reason.</summary>
    public static void Apply(PreparedWrite write, IngestMetrics metrics)
    {
        foreach (var target in write.Targets)
        {
            var fields = target.Config.Fields;
            var outcome = target.Outcome;
            if (outcome.Succeeded)
            {
                SourcePath.Set(target.Target, fields.Projection, ProjectionCodec.Encode(outcome.Projection.Span, target.Config.ProjectionEncoding));
                if (fields.Embedding is not null)
                {
                    SourcePath.Set(target.Target, fields.Embedding, ProjectionCodec.Encode(outcome.Embedding.Span, ProjectionEncoding.Float32));
                }

                SourcePath.Set(target.Target, fields.Model, target.Config.ModelId);
                SourcePath.Set(target.Target, fields.TextHash, PassageText.Hash(target.Text));
                if (target.IsPartial)
                {
                    SourcePath.Set(target.Target, fields.Stale, null);
                }
                else
                {
                    Remove(target.Target, fields.Stale);
                }

                continue;
            }

            metrics.Stale(outcome.StaleReason!);
            if (target.IsPartial)
            {
                MarkPartial(target.Target, fields, outcome.StaleReason!);
            }
            else
            {
                Remove(target.Target, fields.Projection);
                if (fields.Embedding is not null)
                {
                    Remove(target.Target, fields.Embedding);
                }

                Remove(target.Target, fields.Model);
                Remove(target.Target, fields.TextHash);
                SourcePath.Set(target.Target, fields.Stale, outcome.StaleReason);
            }
        }
    }

    /// <summary>The body as compact UTF-8 JSON, followed by <paramref name="lineEnding"/>.</summary>
    public static byte[] Serialize(JsonObject root, ReadOnlySpan<byte> lineEnding)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(root, Serializer);
        if (lineEnding.IsEmpty)
        {
            return json;
        }

        var bytes = new byte[json.Length + lineEnding.Length];
        json.CopyTo(bytes, 0);
        lineEnding.CopyTo(bytes.AsSpan(json.Length));
        return bytes;
    }

    /// <summary>
    /// True when <paramref name="target"/> already carries vectors of this text under the configured model: the same
    /// model id, a text hash equal to <paramref name="hash"/>, a projection (and an embedding when one is stored), no
    /// stale mark. Backfill and reindex/copy flows send such documents; they are kept as sent, not re-encoded.
    /// </summary>
    public static bool IsCurrent(JsonObject target, RerankIndexConfig config, string hash)
    {
        var fields = config.Fields;
        return SourcePath.Get(target, fields.Model) is JsonValue model && model.GetValueKind() == JsonValueKind.String
            && model.GetValue<string>() == config.ModelId
            && SourcePath.Get(target, fields.TextHash) is JsonValue stored && stored.GetValueKind() == JsonValueKind.String
            && stored.GetValue<string>() == hash
            && SourcePath.Get(target, fields.Projection) is not null
            && (fields.Embedding is null || SourcePath.Get(target, fields.Embedding) is not null)
            && SourcePath.Get(target, fields.Stale) is null;
    }

    private static void AddTarget(JsonObject target, RerankIndexConfig config, bool isPartial, List<VectorTarget> targets, IngestMetrics metrics)
    {
        var text = PassageText.Compose(target, config);
        if (IsCurrent(target, config, PassageText.Hash(text)))
        {
            metrics.Reused();
            return;
        }

        targets.Add(new VectorTarget(target, config, text, isPartial));
    }

    private static void MarkPartial(JsonObject doc, RerankStoredFields fields, string reason)
    {
        SourcePath.Set(doc, fields.Projection, null);
        if (fields.Embedding is not null)
        {
            SourcePath.Set(doc, fields.Embedding, null);
        }

        SourcePath.Set(doc, fields.TextHash, null);
        SourcePath.Set(doc, fields.Stale, reason);
    }

    /// <summary>Removes <paramref name="path"/> in both forms Elasticsearch reads (nested objects, literal dotted keys).</summary>
    private static void Remove(JsonObject node, string path)
    {
        node.Remove(path);
        for (var dot = path.IndexOf('.'); dot >= 0; dot = path.IndexOf('.', dot + 1))
        {
            if (node[path[..dot]] is JsonObject child)
            {
                Remove(child, path[(dot + 1)..]);
            }
        }
    }
}
