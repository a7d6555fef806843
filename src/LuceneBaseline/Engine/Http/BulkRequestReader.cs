using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Reads a <c>_bulk</c> NDJSON body into operations. The whole body is parsed before anything runs, so a malformed
/// action line rejects the request with no side effects, as in Elasticsearch; a bad document source fails only its
/// item. Lines are read from the stream one at a time, so the raw body is never held whole.
/// </summary>
internal static class BulkRequestReader
{
    private static readonly HashSet<string> ActionParameters = new(StringComparer.Ordinal)
    {
        "_index", "_id", "routing", "if_seq_no", "if_primary_term", "retry_on_conflict", "_source", "require_alias",
        "require_data_stream", "list_executed_pipelines", "version", "version_type", "pipeline", "dynamic_templates",
    };

    public static async Task<List<BulkOperation>> ReadAsync(Stream body, string? defaultIndex, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body);
        var operations = new List<BulkOperation>();
        var problems = new List<string>();
        var lineNumber = 0;
        (JsonObject Action, int Line)? pending = null;
        var endsWithNewline = true;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                lineNumber++;
                pending = Accept(line, lineNumber, pending, defaultIndex, operations, problems);
            }

            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    // A last line without its newline: Elasticsearch refuses the request.
                    endsWithNewline = JsonBody.IsBlank(buffer.ToArray());
                }

                reader.AdvanceTo(buffer.End);
                break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        if (!endsWithNewline || pending is not null)
        {
            throw EngineException.IllegalArgument("The bulk request must be terminated by a newline [\\n]");
        }

        if (operations.Count == 0)
        {
            problems.Insert(0, "no requests added");
        }

        if (problems.Count > 0)
        {
            throw EngineException.Validation(problems);
        }

        return operations;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    /// <summary>Takes one line: an action line, or the source line of the pending action. Returns the action still waiting for its source.</summary>
    private static (JsonObject Action, int Line)? Accept(
        ReadOnlySequence<byte> line,
        int lineNumber,
        (JsonObject Action, int Line)? pending,
        string? defaultIndex,
        List<BulkOperation> operations,
        List<string> problems)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (pending is { } action)
        {
            operations.Add(Build(action.Action, action.Line, bytes, defaultIndex, problems));
            return null;
        }

        if (JsonBody.IsBlank(bytes))
        {
            return null;
        }

        var parsed = ParseActionLine(bytes, lineNumber);
        var (name, _) = parsed.Single();
        if (name == "delete")
        {
            operations.Add(Build(parsed, lineNumber, default, defaultIndex, problems));
            return null;
        }

        return (parsed, lineNumber);
    }

    private static JsonObject ParseActionLine(ReadOnlySpan<byte> bytes, int lineNumber)
    {
        var node = JsonBody.Parse(bytes);
        if (node is not JsonObject action)
        {
            throw EngineException.IllegalArgument(
                $"Malformed action/metadata line [{lineNumber}], expected START_OBJECT or END_OBJECT but found [{TokenName(node)}]");
        }

        if (action.Count == 0)
        {
            // Elasticsearch reads the action's name next: an empty object ends where the name should be.
            throw EngineException.IllegalArgument(
                $"Malformed action/metadata line [{lineNumber}], expected FIELD_NAME but found [END_OBJECT]");
        }

        if (action.Count > 1)
        {
            throw EngineException.IllegalArgument(
                $"Malformed action/metadata line [{lineNumber}], expected END_OBJECT but found [FIELD_NAME]");
        }

        var (name, metadata) = action.Single();
        if (name is not ("index" or "create" or "update" or "delete"))
        {
            throw EngineException.IllegalArgument(
                $"Malformed action/metadata line [{lineNumber}], expected field [create], [delete], [index] or [update] but found [{name}]");
        }

        if (metadata is not JsonObject fields)
        {
            throw EngineException.IllegalArgument(
                $"Malformed action/metadata line [{lineNumber}], expected START_OBJECT but found [{TokenName(metadata)}]");
        }

        foreach (var (key, _) in fields)
        {
            if (!ActionParameters.Contains(key))
            {
                throw EngineException.IllegalArgument($"Action/metadata line [{lineNumber}] contains an unknown parameter [{key}]");
            }

            if (key is "version" or "version_type" or "pipeline" or "dynamic_templates")
            {
                throw EngineException.IllegalArgument(
                    $"Action/metadata line [{lineNumber}]: [{key}] is not supported by the embedded engine");
            }
        }

        return action;
    }

    private static BulkOperation Build(JsonObject actionLine, int lineNumber, ReadOnlySpan<byte> source, string? defaultIndex, List<string> problems)
    {
        var (name, metadataNode) = actionLine.Single();
        var metadata = (JsonObject)metadataNode!;
        var action = name switch
        {
            "index" => BulkAction.Index,
            "create" => BulkAction.Create,
            "update" => BulkAction.Update,
            _ => BulkAction.Delete,
        };

        var index = Text(metadata["_index"], "_index", lineNumber) ?? defaultIndex;
        var id = Text(metadata["_id"], "_id", lineNumber);
        if (index is null)
        {
            problems.Add("index is missing");
        }

        if (id is null && action is BulkAction.Update or BulkAction.Delete)
        {
            problems.Add("id is missing");
        }

        var options = WriteParameters.Options(
            action == BulkAction.Create ? OpType.Create : OpType.Index,
            Number(metadata["if_seq_no"], "if_seq_no", lineNumber),
            Number(metadata["if_primary_term"], "if_primary_term", lineNumber));

        JsonObject? document = null;
        UpdateRequest? update = null;
        SourceSpec? updateSource = null;
        SourceSpec? bodySource = null;
        EngineException? sourceError = null;
        if (action != BulkAction.Delete)
        {
            try
            {
                document = JsonBody.ParseObject(source)
                    ?? throw new EngineException(400, "document_parsing_exception", "failed to parse: the source line is empty");
            }
            catch (EngineException exception) when (action != BulkAction.Update)
            {
                sourceError = new EngineException(400, "document_parsing_exception", $"failed to parse: {exception.Reason}", index);
            }

            if (action == BulkAction.Update)
            {
                // The body's if_seq_no / if_primary_term, when given, replace the action line's (Elasticsearch sets the
                // action line's first, then parses the body into the same request).
                (update, bodySource, options) = UpdateBody.Parse(document!, options);
                updateSource = metadata["_source"] is { } metaSource ? SourceFilterParameters.Parse(metaSource, "bulk") : null;
            }
        }

        // Every item is validated before any runs, as Elasticsearch validates the whole bulk request
        // (action_request_validation_exception fails the request). What Elasticsearch checks later, per item (an
        // empty _id: "if _id is specified it must not be empty"), fails that item alone.
        if (index is not null && (id is not null || action is BulkAction.Index or BulkAction.Create))
        {
            try
            {
                switch (action)
                {
                    case BulkAction.Index or BulkAction.Create:
                        EngineIndex.ValidateIndex(id, options);
                        break;
                    case BulkAction.Update:
                        EngineIndex.ValidateUpdate(id!, update!, options);
                        break;
                    default:
                        EngineIndex.ValidateDelete(id!, options);
                        break;
                }
            }
            catch (EngineException exception) when (exception.Type != "action_request_validation_exception")
            {
                sourceError ??= exception;
            }
        }

        var requireAlias = metadata["require_alias"] is { } flag ? JsonArgs.ReadBool(flag) : (bool?)null;
        return new BulkOperation(action, index ?? "", id, options, action == BulkAction.Update ? null : document, update, updateSource, sourceError, requireAlias, bodySource);
    }

    private static string? Text(JsonNode? node, string field, int lineNumber) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number => node.ToJsonString(),
        _ => throw EngineException.IllegalArgument($"Action/metadata line [{lineNumber}]: [{field}] must be a string"),
    };

    private static long? Number(JsonNode? node, string field, int lineNumber) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var value) => value,
        JsonValueKind.String when long.TryParse(node.GetValue<string>(), out var value) => value,
        _ => throw EngineException.IllegalArgument($"Action/metadata line [{lineNumber}]: [{field}] must be a number"),
    };

    private static string TokenName(JsonNode? node) => node switch
    {
        null => "VALUE_NULL",
        JsonArray => "START_ARRAY",
        JsonObject => "START_OBJECT",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "VALUE_STRING",
            JsonValueKind.Number => "VALUE_NUMBER",
            _ => "VALUE_BOOLEAN",
        },
        _ => "UNKNOWN",
    };
}
