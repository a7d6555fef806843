using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Writes;

namespace Rerank.IngestPipeline.Bulk;

/// <summary>
/// One <c>_bulk</c> body's rewrite (docs/write-path.md). Not thread-safe: one instance per request.
/// </summary>
/// <remarks>
/// 1. Lines are read one at a time into a window; an action line is parsed, and for index, create and update the
///    next line is its body (as Elasticsearch pairs them; blank action lines are skipped, as it does).
/// 2. When the window holds <c>BulkWindowDocuments</c> items or <c>BulkWindowBytes</c> bytes (at an item boundary),
///    its bodies of enabled indices are prepared, all their passages are submitted to the encoders together, the
///    outcomes written in, and every line written out (rewritten or byte for byte) before reading on.
/// 3. An action line Elasticsearch would refuse, or a line over <c>MaxLineBytes</c>, ends the rewriting: the window
///    is written out and the rest of the body copied unchanged, so the cluster gives its own error.
/// </remarks>
internal sealed class BulkRewriter(WritePipeline pipeline, string? pathIndex, string? authorization)
{
    /// <summary>Scripted updates remembered per request for their stale marks; beyond it they are found by their hash.</summary>
    internal const int MaxScriptedUpdates = 10_000;

    private readonly Dictionary<string, RerankIndexConfig?> _configs = new(StringComparer.Ordinal);
    private readonly List<byte[]> _lines = [];
    private readonly List<Item> _items = [];
    private readonly List<ScriptedUpdate> _scripted = [];
    private long _windowBytes;
    private int _itemCount;
    private int _rewritten;
    private int _encoded;
    private int _stale;
    private int _untouched;
    private int _peakItems;
    private long _peakBytes;

    private IngestMetrics Metrics => pipeline.Metrics;

    public async Task<BulkRewriteSummary> RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var reader = new BulkLineReader(input, pipeline.Options.MaxLineBytes);
        var restPassedThrough = false;
        try
        {
            var expectBody = false;
            while (true)
            {
                // Step 1.
                var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    break;
                }

                _lines.Add(line);
                _windowBytes += line.Length;
                _peakBytes = Math.Max(_peakBytes, _windowBytes);
                if (expectBody)
                {
                    _items[^1] = _items[^1] with { BodyLine = _lines.Count - 1 };
                    expectBody = false;
                }
                else if (!IsBlank(line))
                {
                    if (!BulkActionLine.TryParse(line, out var action))
                    {
                        // Step 3.
                        restPassedThrough = true;
                        break;
                    }

                    _items.Add(new Item(action, -1));
                    _itemCount++;
                    _peakItems = Math.Max(_peakItems, _items.Count);
                    expectBody = action.Kind != BulkActionKind.Delete;
                }

                if (!expectBody && (_items.Count >= pipeline.Options.BulkWindowDocuments || _windowBytes >= pipeline.Options.BulkWindowBytes))
                {
                    // Step 2.
                    await FlushAsync(output, cancellationToken).ConfigureAwait(false);
                }
            }

            restPassedThrough |= reader.LineTooLong;
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
            if (restPassedThrough)
            {
                pipeline.RestPassedThrough(reader.LineTooLong);
                await reader.CopyRestAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        return new BulkRewriteSummary
        {
            Items = _itemCount,
            Rewritten = _rewritten,
            Encoded = _encoded,
            Stale = _stale,
            Untouched = _untouched,
            RestPassedThrough = restPassedThrough,
            PeakWindowItems = _peakItems,
            PeakWindowBytes = _peakBytes,
            ScriptedUpdates = _scripted,
        };
    }

    private async Task FlushAsync(Stream output, CancellationToken cancellationToken)
    {
        var replacements = new byte[]?[_lines.Count];
        var prepared = new List<(int Line, PreparedWrite Write)>();
        foreach (var item in _items)
        {
            var config = item.BodyLine < 0 || item.Action.Kind == BulkActionKind.Delete || item.Action.InvalidIndex
                ? null
                : await ConfigAsync(item.Action.Index ?? pathIndex, cancellationToken).ConfigureAwait(false);
            if (config is not null && item.Action.Kind == BulkActionKind.Update && item.Action.Id is { } id
                && _scripted.Count < MaxScriptedUpdates && DocumentEditor.HasScript(_lines[item.BodyLine]))
            {
                _scripted.Add(new ScriptedUpdate(item.Action.Index ?? pathIndex!, id, item.Action.Routing, config.Fields.Stale));
            }

            var write = config is null ? null : DocumentEditor.Prepare(ToKind(item.Action.Kind), _lines[item.BodyLine], config, Metrics);
            if (write is null)
            {
                _untouched++;
                continue;
            }

            prepared.Add((item.BodyLine, write));
        }

        Metrics.PassedThrough(_items.Count - prepared.Count);
        var targets = prepared.SelectMany(p => p.Write.Targets).ToList();
        await pipeline.EncodeAsync(targets, cancellationToken).ConfigureAwait(false);
        foreach (var target in targets)
        {
            if (target.Outcome.Succeeded)
            {
                _encoded++;
            }
            else
            {
                _stale++;
            }
        }

        foreach (var (line, write) in prepared)
        {
            DocumentEditor.Apply(write, Metrics);
            replacements[line] = DocumentEditor.Serialize(write.Root, LineEnding(_lines[line]));
            _rewritten++;
        }

        for (var i = 0; i < _lines.Count; i++)
        {
            var bytes = replacements[i] ?? _lines[i];
            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        _lines.Clear();
        _items.Clear();
        _windowBytes = 0;
    }

    private async ValueTask<RerankIndexConfig?> ConfigAsync(string? index, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(index))
        {
            return null;
        }

        if (!_configs.TryGetValue(index, out var config))
        {
            config = await pipeline.Configs.GetAsync(index, authorization, cancellationToken).ConfigureAwait(false);
            if (config is { Enabled: false })
            {
                config = null;
            }

            _configs[index] = config;
        }

        return config;
    }

    private static DocumentWriteKind ToKind(BulkActionKind kind) => kind switch
    {
        BulkActionKind.Index => DocumentWriteKind.Index,
        BulkActionKind.Create => DocumentWriteKind.Create,
        _ => DocumentWriteKind.Update,
    };

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\n"u8).IsEmpty;

    private static ReadOnlySpan<byte> LineEnding(ReadOnlySpan<byte> line) =>
        line.EndsWith("\r\n"u8) ? "\r\n"u8 : line.EndsWith("\n"u8) ? "\n"u8 : [];

    private readonly record struct Item(BulkActionLine Action, int BodyLine);
}
