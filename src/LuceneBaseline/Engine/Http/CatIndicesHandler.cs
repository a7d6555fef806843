using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// <c>GET /_cat/indices</c> and <c>/_cat/indices/{index}</c>: Elasticsearch's default columns, <c>v</c> (headers),
/// <c>h</c> (columns), <c>s</c> (sort), <c>bytes</c> (unit), <c>health</c> (filter) and <c>format=json</c>.
/// </summary>
internal sealed class CatIndicesHandler
{
    private static readonly string[] DefaultColumns =
        ["health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size", "dataset.size"];

    private static readonly HashSet<string> RightAligned = new(StringComparer.Ordinal)
    {
        "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size", "dataset.size", "creation.date",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["h"] = "health", ["s"] = "status", ["i"] = "index", ["idx"] = "index", ["id"] = "uuid", ["p"] = "pri",
        ["shards.primary"] = "pri", ["shardsPrimary"] = "pri", ["r"] = "rep", ["shards.replica"] = "rep", ["shardsReplica"] = "rep",
        ["dc"] = "docs.count", ["docsCount"] = "docs.count", ["dd"] = "docs.deleted", ["docsDeleted"] = "docs.deleted",
        ["ss"] = "store.size", ["storeSize"] = "store.size", ["cd"] = "creation.date", ["creationDate"] = "creation.date",
        ["cds"] = "creation.date.string",
    };

    private static readonly HashSet<string> Known = [.. DefaultColumns, "creation.date", "creation.date.string"];

    private readonly IndexHandlers _indices;

    public CatIndicesHandler(IndexHandlers indices)
    {
        _indices = indices;
    }

    public Task<RestResponse> HandleAsync(RestRequest request)
    {
        var indices = _indices.Resolve(request, request.Route("index") ?? "_all");
        IndexHandlers.ConsumeMasterParameters(request);
        var verbose = request.BoolParam("v", false);
        var columns = Columns(request.Param("h"));
        var sort = request.Param("s");
        var format = request.Param("format") ?? "text";
        var bytesUnit = request.Param("bytes");
        var health = request.Param("health");
        request.BoolParam("pri", false);
        request.BoolParam("include_unloaded_segments", false);
        request.Param("time");
        request.BoolParam("help", false);
        request.RejectUnconsumedParameters();
        if (format is not ("text" or "json"))
        {
            throw EngineException.IllegalArgument($"format [{format}] is not supported by the embedded engine (text or json)");
        }

        var rows = indices
            .Select(index => Row(index, bytesUnit))
            .Where(row => health is null || row["health"].Text == health)
            .OrderBy(row => row["index"].Text, StringComparer.Ordinal)
            .ToList();
        rows = Sort(rows, sort);

        if (format == "json")
        {
            var array = new JsonArray();
            foreach (var row in rows)
            {
                var obj = new JsonObject();
                foreach (var column in columns)
                {
                    obj[column] = row[column].Text;
                }

                array.Add(obj);
            }

            return Task.FromResult(RestResponse.Ok(array));
        }

        return Task.FromResult(new RestResponse { Text = Table(rows, columns, verbose) });
    }

    private static List<string> Columns(string? h)
    {
        if (h is null)
        {
            return [.. DefaultColumns];
        }

        var columns = new List<string>();
        foreach (var raw in h.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Aliases.GetValueOrDefault(raw, raw);
            if (name.Contains('*'))
            {
                columns.AddRange(Known.Where(k => Glob.IsMatch(name, k)));
                continue;
            }

            if (!Known.Contains(name))
            {
                throw EngineException.IllegalArgument($"Unknown cat column [{raw}] (the embedded engine supports: {string.Join(", ", Known)})");
            }

            columns.Add(name);
        }

        return columns;
    }

    private static Dictionary<string, Cell> Row(EngineIndex index, string? bytesUnit)
    {
        var size = index.StoreSizeBytes;
        var settings = index.Settings;
        return new Dictionary<string, Cell>(StringComparer.Ordinal)
        {
            // One node holds every primary; replicas have nowhere to go, which Elasticsearch reports as yellow.
            ["health"] = new(settings.NumberOfReplicas > 0 ? "yellow" : "green", 0),
            ["status"] = new("open", 0),
            ["index"] = new(index.Name, 0),
            ["uuid"] = new(index.Uuid, 0),
            ["pri"] = Number(settings.NumberOfShards),
            ["rep"] = Number(settings.NumberOfReplicas),
            ["docs.count"] = Number(index.DocumentCount),
            ["docs.deleted"] = Number(index.DeletedDocumentCount),
            ["store.size"] = new(ByteSize(size, bytesUnit), size),
            ["pri.store.size"] = new(ByteSize(size, bytesUnit), size),
            ["dataset.size"] = new(ByteSize(size, bytesUnit), size),
            ["creation.date"] = Number(index.CreationDate.ToUnixTimeMilliseconds()),
            ["creation.date.string"] = new(index.CreationDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), 0),
        };
    }

    private static Cell Number(long value) => new(value.ToString(CultureInfo.InvariantCulture), value);

    private static List<Dictionary<string, Cell>> Sort(List<Dictionary<string, Cell>> rows, string? sort)
    {
        if (sort is null)
        {
            return rows;
        }

        IOrderedEnumerable<Dictionary<string, Cell>>? ordered = null;
        foreach (var key in sort.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = key.Split(':');
            var column = Aliases.GetValueOrDefault(parts[0], parts[0]);
            if (!Known.Contains(column))
            {
                throw EngineException.IllegalArgument($"Unable to sort by unknown sort key `{parts[0]}`");
            }

            var descending = parts.Length > 1 && parts[1] == "desc";
            var numeric = RightAligned.Contains(column);
            Func<Dictionary<string, Cell>, IComparable> selector = numeric ? row => row[column].Value : row => row[column].Text;
            ordered = ordered is null
                ? (descending ? rows.OrderByDescending(selector) : rows.OrderBy(selector))
                : (descending ? ordered.ThenByDescending(selector) : ordered.ThenBy(selector));
        }

        return ordered?.ToList() ?? rows;
    }

    private static string Table(List<Dictionary<string, Cell>> rows, List<string> columns, bool verbose)
    {
        var widths = columns.Select(c => Math.Max(verbose ? c.Length : 0, rows.Count == 0 ? 0 : rows.Max(r => r[c].Text.Length))).ToArray();
        var text = new StringBuilder();
        void Line(Func<int, string> cell)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var value = cell(i);
                text.Append(RightAligned.Contains(columns[i]) ? value.PadLeft(widths[i]) : value.PadRight(widths[i]));
                text.Append(i == columns.Count - 1 ? "\n" : " ");
            }
        }

        if (verbose)
        {
            Line(i => columns[i]);
        }

        foreach (var row in rows)
        {
            Line(i => row[columns[i]].Text);
        }

        return text.ToString();
    }

    /// <summary>Elasticsearch's byte sizes: in <paramref name="unit"/> when given (whole units), else the largest unit with one decimal ("5.2mb").</summary>
    internal static string ByteSize(long bytes, string? unit)
    {
        string[] units = ["b", "kb", "mb", "gb", "tb", "pb"];
        if (unit is not null)
        {
            var power = Array.IndexOf(units, unit);
            if (power < 0)
            {
                throw EngineException.IllegalArgument($"failed to parse setting [bytes] with value [{unit}] as a size in bytes: unit is missing or unrecognized");
            }

            return (bytes / (long)Math.Pow(1024, power)).ToString(CultureInfo.InvariantCulture);
        }

        var step = 0;
        double value = bytes;
        while (value >= 1024 && step < units.Length - 1)
        {
            value /= 1024;
            step++;
        }

        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        return rounded.ToString(rounded == Math.Floor(rounded) ? "0" : "0.0", CultureInfo.InvariantCulture) + units[step];
    }

    private sealed record Cell(string Text, long Value);
}
