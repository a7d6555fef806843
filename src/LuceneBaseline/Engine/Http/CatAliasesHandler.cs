using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// <c>GET /_cat/aliases</c> and <c>/_cat/aliases/{name}</c>: one row per alias and index, Elasticsearch's columns
/// (<c>alias index filter routing.index routing.search is_write_index</c>; a filter shows as <c>*</c>, no value as
/// <c>-</c>), <c>v</c>, <c>h</c> (column names) and <c>format=json</c>.
/// </summary>
internal sealed class CatAliasesHandler
{
    private static readonly string[] Columns = ["alias", "index", "filter", "routing.index", "routing.search", "is_write_index"];

    private readonly IndexCatalog _catalog;

    public CatAliasesHandler(IndexCatalog catalog)
    {
        _catalog = catalog;
    }

    public Task<RestResponse> HandleAsync(RestRequest request)
    {
        IndexHandlers.ConsumeMasterParameters(request);
        var verbose = request.BoolParam("v", false);
        var h = request.Param("h");
        var format = request.Param("format") ?? "text";
        request.Param("expand_wildcards");
        request.BoolParam("help", false);
        request.RejectUnconsumedParameters();
        if (format is not ("text" or "json"))
        {
            throw EngineException.IllegalArgument($"format [{format}] is not supported by the embedded engine (text or json)");
        }

        var columns = h is null ? [.. Columns] : h.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var column in columns.Where(c => !Columns.Contains(c)))
        {
            throw EngineException.IllegalArgument($"Unknown cat column [{column}] (the embedded engine supports: {string.Join(", ", Columns)})");
        }

        var patterns = request.Route("name")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var rows = _catalog.Indices
            .SelectMany(index => index.Aliases.Select(alias => new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["alias"] = alias.Key,
                ["index"] = index.Name,
                ["filter"] = alias.Value.Filter is null ? "-" : "*",
                ["routing.index"] = "-",
                ["routing.search"] = "-",
                ["is_write_index"] = alias.Value.IsWriteIndex is { } write ? (write ? "true" : "false") : "-",
            }))
            .Where(row => patterns is null || patterns.Any(p => p is "_all" or "*" || Glob.IsMatch(p, row["alias"])))
            .OrderBy(row => row["alias"], StringComparer.Ordinal).ThenBy(row => row["index"], StringComparer.Ordinal)
            .ToList();

        if (format == "json")
        {
            var array = new JsonArray();
            foreach (var row in rows)
            {
                array.Add(new JsonObject(columns.Select(c => KeyValuePair.Create(c, (JsonNode?)row[c]))));
            }

            return Task.FromResult(RestResponse.Ok(array));
        }

        var widths = columns.Select(c => Math.Max(verbose ? c.Length : 0, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        var text = new StringBuilder();
        void Line(Func<int, string> cell)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                text.Append(cell(i).PadRight(widths[i])).Append(i == columns.Count - 1 ? "\n" : " ");
            }
        }

        if (verbose)
        {
            Line(i => columns[i]);
        }

        foreach (var row in rows)
        {
            Line(i => row[columns[i]]);
        }

        return Task.FromResult(new RestResponse { Text = text.ToString() });
    }
}
