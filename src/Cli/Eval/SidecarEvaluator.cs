using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Search;

namespace Rerank.Cli.Eval;

/// <summary>
/// The sidecar path of <c>eval rerank</c>: every query is sent twice to <c>POST {sidecar}/{index}/_search</c>, once with
/// <c>ext.rerank.enabled: false</c> (the first stage) and once with <c>ext.rerank.window</c> (the reranked answer).
/// </summary>
internal sealed class SidecarEvaluator(HttpClient http, Uri sidecar, string index, TextWriter progress)
{
    /// <summary>The placeholder of a <c>--query-template</c>: replaced by the query text, JSON-escaped, without quotes.</summary>
    public const string QueryPlaceholder = "{{query}}";

    private const int ErrorBodyChars = 300;

    /// <summary>The index's <c>_meta.rerank</c>, once <see cref="ReadConfigAsync"/> found one.</summary>
    public RerankIndexConfig? Config { get; private set; }

    /// <summary>
    /// Reads <c>GET {sidecar}/{index}/_mapping</c> and takes the first index (by name) whose mapping has
    /// <c>_meta.rerank</c>. Throws naming the URL when there is none and <paramref name="required"/>.
    /// </summary>
    public async Task ReadConfigAsync(bool required, CancellationToken cancellationToken)
    {
        var url = Url($"{Uri.EscapeDataString(index)}/_mapping");
        using var document = await SendAsync(HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
        var root = document.Json.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in root.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("mappings", out var mappings))
                {
                    continue;
                }

                try
                {
                    if (RerankIndexConfigReader.TryReadFromMappings(entry.Name, mappings, out var config))
                    {
                        Config = config;
                        return;
                    }
                }
                catch (RerankConfigException exception)
                {
                    throw new InvalidDataException($"GET {url}: {exception.Message}", exception);
                }
            }
        }

        if (required)
        {
            throw new InvalidDataException($"GET {url}: no index of '{index}' has _meta.rerank, so its text fields are unknown; pass --query-template");
        }
    }

    /// <summary>
    /// The search body of one query: <paramref name="template"/> with <see cref="QueryPlaceholder"/> replaced, or a
    /// <c>multi_match</c> over the index's text fields; then <c>size</c> and <c>ext.rerank</c> set (other keys kept).
    /// </summary>
    public JsonObject Body(string? template, string templatePath, string queryText, int window, JsonObject rerank)
    {
        JsonObject body;
        if (template is not null)
        {
            var text = template.Replace(QueryPlaceholder, JsonSerializer.Serialize(queryText)[1..^1], StringComparison.Ordinal);
            try
            {
                body = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{templatePath}: the template is not a JSON object");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{templatePath}: with {QueryPlaceholder} replaced the template is not valid JSON: {exception.Message}", exception);
            }
        }
        else
        {
            var fields = new JsonArray([.. Config!.TextFields.Select(f => (JsonNode)JsonValue.Create(f))]);
            body = new JsonObject { ["query"] = new JsonObject { ["multi_match"] = new JsonObject { ["query"] = queryText, ["fields"] = fields } } };
            body["_source"] = false;
        }

        body["size"] = window;
        if (body["ext"] is not JsonObject ext)
        {
            body["ext"] = ext = [];
        }

        ext["rerank"] = rerank;
        return body;
    }

    /// <remarks>
    /// 1. Per query, at most <paramref name="concurrency"/> at once: the first stage (<c>enabled: false</c>), then the
    ///    reranked answer (<c>window</c>, and <c>branch</c> when given); hits are read as returned (<c>_id</c>, <c>_score</c>).
    /// 2. The reranked answer's <c>X-Rerank</c> is counted by value; each one not <c>applied</c> is listed.
    /// </remarks>
    public async Task<(IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> FirstStage, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Reranked, SidecarOutcomes Outcomes)> RunAsync(
        IReadOnlyList<BeirQuery> queries, string? template, string templatePath, int window, string? branch, int concurrency, CancellationToken cancellationToken)
    {
        var url = Url($"{Uri.EscapeDataString(index)}/_search");
        var firstStage = new ConcurrentDictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        var reranked = new ConcurrentDictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        var headers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var models = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var reporter = new ProgressReporter(progress, "searching", queries.Count);
        var done = 0;

        // 1.
        await Parallel.ForEachAsync(
            queries,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (query, token) =>
            {
                var plain = Body(template, templatePath, query.Text, window, new JsonObject { ["enabled"] = false });
                using (var answer = await SendAsync(HttpMethod.Post, url, plain, token).ConfigureAwait(false))
                {
                    firstStage[query.Id] = Hits(answer.Json, url, query.Id);
                }

                var rerank = new JsonObject { ["window"] = window };
                if (branch is not null)
                {
                    rerank["branch"] = branch;
                }

                using (var answer = await SendAsync(HttpMethod.Post, url, Body(template, templatePath, query.Text, window, rerank), token).ConfigureAwait(false))
                {
                    reranked[query.Id] = Hits(answer.Json, url, query.Id);
                    headers[query.Id] = answer.Header("X-Rerank") ?? "none";
                    if (answer.Header("X-Rerank-Model") is { } model)
                    {
                        models.TryAdd(model, true);
                    }
                }

                var count = Interlocked.Increment(ref done);
                lock (reporter)
                {
                    reporter.Report(count);
                }
            }).ConfigureAwait(false);

        // 2.
        var byHeader = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var notApplied = new List<(string, string)>();
        foreach (var query in queries)
        {
            var header = headers[query.Id];
            byHeader[header] = byHeader.GetValueOrDefault(header) + 1;
            if (header != "applied")
            {
                notApplied.Add((query.Id, header));
            }
        }

        var outcomes = new SidecarOutcomes(sidecar.ToString().TrimEnd('/'), index, byHeader, notApplied, [.. models.Keys.Order(StringComparer.Ordinal)]);
        return (firstStage, reranked, outcomes);
    }

    private static IReadOnlyList<ScoredDocument> Hits(JsonDocument answer, string url, string queryId)
    {
        if (answer.RootElement.ValueKind != JsonValueKind.Object
            || !answer.RootElement.TryGetProperty("hits", out var hits)
            || hits.ValueKind != JsonValueKind.Object
            || !hits.TryGetProperty("hits", out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"POST {url} (query '{queryId}'): the answer has no hits.hits array");
        }

        var documents = new List<ScoredDocument>(list.GetArrayLength());
        foreach (var hit in list.EnumerateArray())
        {
            if (!hit.TryGetProperty("_id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"POST {url} (query '{queryId}'): a hit has no _id string");
            }

            var score = hit.TryGetProperty("_score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetSingle() : 0f;
            documents.Add(new ScoredDocument(id.GetString()!, score));
        }

        return documents;
    }

    private string Url(string path) => new Uri(sidecar, path).ToString();

    private async Task<Answer> SendAsync(HttpMethod method, string url, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new IOException($"{method} {url}: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{method} {url}: no answer within {http.Timeout.TotalSeconds:0.#} s"), exception);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var shown = text.Length > ErrorBodyChars ? text[..ErrorBodyChars] + "..." : text;
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{method} {url}: {(int)response.StatusCode} {response.ReasonPhrase}: {shown.ReplaceLineEndings(" ")}"));
            }

            try
            {
                return new Answer(JsonDocument.Parse(text), response.Headers);
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{method} {url}: the answer is not JSON: {exception.Message}", exception);
            }
        }
    }

    private sealed class Answer(JsonDocument json, HttpResponseHeaders headers) : IDisposable
    {
        private readonly Dictionary<string, string> _headers = headers
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);

        public JsonDocument Json => json;

        public string? Header(string name) => _headers.GetValueOrDefault(name);

        public void Dispose() => json.Dispose();
    }
}
