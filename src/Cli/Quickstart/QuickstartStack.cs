using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rerank.Cli.Ingest;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.MappingBootstrap;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Model.Bundle;
using Rerank.Model.Pretrained;
using Rerank.Sidecar.Hosting;

namespace Rerank.Cli.Quickstart;

/// <summary>
/// The running quickstart: the embedded engine, the sidecar in front of it, and an index of the collection written
/// through the sidecar. Kept between runs under the work directory: a second start reuses the bundle and, when the index
/// still holds the whole collection with this bundle's vectors, the index.
/// </summary>
internal sealed class QuickstartStack : IAsyncDisposable
{
    private const int BulkDocuments = 256;
    private static readonly string[] s_textFields = ["title", "text"];

    private readonly EngineHost _engine;
    private readonly SidecarHost _sidecar;

    private QuickstartStack(EngineHost engine, SidecarHost sidecar)
    {
        _engine = engine;
        _sidecar = sidecar;
    }

    /// <summary>Whether the check search came back with <c>X-Rerank: applied</c>.</summary>
    public bool Applied => CheckOutcome == "applied";

    /// <summary>The check search's <c>X-Rerank</c> header ("none" when it had none).</summary>
    public string CheckOutcome { get; private set; } = "none";

    public static async Task<QuickstartStack> StartAsync(QuickstartSettings settings, TextWriter output, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var collection = Collection.Open(settings.DataDirectory);
        output.WriteLine($"quickstart: collection [{collection.Index}], {collection.Documents.Count:N0} documents ({collection.Source})");

        // One starter bundle for every collection: its weights do not depend on the corpus. Kept under the heads' version,
        // so a rerank with other starter heads builds a new one.
        var bundleDirectory = Path.Combine(settings.WorkDirectory, "models", "starter-" + StarterModel.Version);
        if (!File.Exists(Path.Combine(bundleDirectory, ModelManifest.FileName)))
        {
            output.WriteLine($"quickstart: building the starter model ({StarterModel.Encoder.ModelName} with trained heads) in {bundleDirectory}");
            var stopwatch = Stopwatch.StartNew();
            StarterModel.Write(bundleDirectory);
            output.WriteLine($"quickstart: bundle written in {stopwatch.Elapsed.TotalSeconds:F0} s");
        }

        var bundle = ModelBundle.Load(bundleDirectory);
        output.WriteLine($"quickstart: model {bundle.ModelId} (rerank model starter: docs/starter-model.md)");

        EngineHost? engine = null;
        SidecarHost? sidecar = null;
        try
        {
            var engineDirectory = Path.Combine(settings.WorkDirectory, "engine");
            engine = await EngineHost.StartAsync(
                new EngineHostOptions { DataDirectory = engineDirectory, Urls = ["http://127.0.0.1:0"] }, logging, cancellationToken: cancellationToken);
            output.WriteLine($"quickstart: embedded engine on {engine.Urls[0].ToString().TrimEnd('/')} (indices in {engineDirectory})");
            sidecar = await SidecarHost.StartAsync(
                new SidecarOptions { Upstream = engine.Urls[0], Urls = settings.Urls, ModelsDirectory = bundleDirectory }, logging, cancellationToken: cancellationToken);
            var stack = new QuickstartStack(engine, sidecar);
            await stack.PrepareAsync(collection, bundle, output, cancellationToken);
            return stack;
        }
        catch
        {
            if (sidecar is not null)
            {
                await sidecar.DisposeAsync();
            }

            if (engine is not null)
            {
                await engine.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private Uri SidecarUrl => _sidecar.Urls[0];

    private async Task PrepareAsync(Collection collection, ModelBundle bundle, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await WaitReadyAsync(http, cancellationToken);
        output.WriteLine($"quickstart: sidecar on {SidecarUrl.ToString().TrimEnd('/')}, forwarding to the engine");

        var index = collection.Index;
        var cluster = ClusterClient.Create(SidecarUrl.ToString());
        if (await IsCurrentAsync(http, cluster, index, bundle.ModelId, collection.Documents.Count, cancellationToken))
        {
            output.WriteLine($"quickstart: index [{index}] already holds the collection with this model's vectors");
        }
        else
        {
            await BuildIndexAsync(http, cluster, collection, bundle, output, cancellationToken);
        }

        var query = collection.Query;
        var body = SearchBody(query, explain: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(SidecarUrl, $"/{index}/_search"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Ensure(response, text, $"POST /{index}/_search");
        CheckOutcome = response.Headers.TryGetValues("X-Rerank", out var values) ? string.Join(",", values) : "none";
        output.WriteLine($"quickstart: search [{query}]: X-Rerank: {CheckOutcome}");
        foreach (var hit in JsonNode.Parse(text)?["hits"]?["hits"]?.AsArray() ?? [])
        {
            output.WriteLine($"  {hit?["_score"],-12} {hit?["_id"],-10} {Shorten(hit?["_source"]?["title"]?.ToString() ?? "", 80)}");
        }

        output.WriteLine();
        output.WriteLine("Try it (-i shows the X-Rerank and X-Rerank-Model headers; explain adds each hit's first-stage rank, logit and score):");
        output.WriteLine($"  curl -si {SidecarUrl.ToString().TrimEnd('/')}/{index}/_search -H 'Content-Type: application/json' -d '{ShellQuote(SearchBody(query, explain: true))}'");
        output.WriteLine();
    }

    private async Task WaitReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(new Uri(SidecarUrl, "/_rerank/health"), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new QuickstartException($"the sidecar was not ready within 60 s: {Shorten(text, 300)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task<bool> IsCurrentAsync(
        HttpClient http, Elastic.Clients.Elasticsearch.ElasticsearchClient cluster, string index, string modelId, int documents, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(SidecarUrl, $"/{index}/_mapping"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Ensure(response, text, $"GET /{index}/_mapping");
        using var json = JsonDocument.Parse(text);
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (!RerankIndexConfigReader.TryReadFromMappings(entry.Name, entry.Value.GetProperty("mappings"), out var config) || config!.ModelId != modelId)
            {
                return false;
            }
        }

        var status = await IndexStatusCounter.CountAsync(cluster, index, cancellationToken);
        return status.Documents == documents && status.Current == documents;
    }

    private async Task BuildIndexAsync(
        HttpClient http, Elastic.Clients.Elasticsearch.ElasticsearchClient cluster, Collection collection, ModelBundle bundle, TextWriter output, CancellationToken cancellationToken)
    {
        var index = collection.Index;
        using (var delete = await http.DeleteAsync(new Uri(SidecarUrl, "/" + index), cancellationToken))
        {
            if (delete.StatusCode != HttpStatusCode.NotFound)
            {
                Ensure(delete, await delete.Content.ReadAsStringAsync(cancellationToken), $"DELETE /{index}");
            }
        }

        await SendAsync(http, HttpMethod.Put, "/" + index, """
            {"mappings":{"properties":{"contents":{"type":"text"},"title":{"type":"text"},"text":{"type":"text"}}}}
            """, cancellationToken);
        var config = new RerankIndexConfig { ModelId = bundle.ModelId, TextFields = s_textFields };
        await IndexInitializer.InitAsync(cluster, index, config, bundle.Manifest.Heads.EmbeddingDim, bundle.Manifest.Heads.ProjectionDim, cancellationToken);

        output.WriteLine($"quickstart: indexing {collection.Documents.Count:N0} documents through the sidecar (each gets its passage vectors on the way)");
        var stopwatch = Stopwatch.StartNew();
        var done = 0;
        var lastReport = TimeSpan.Zero;
        foreach (var batch in collection.Documents.Chunk(BulkDocuments))
        {
            using var content = new StringContent(BeirBulkBody.Build(batch, withTitleAndText: true), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await http.PostAsync(new Uri(SidecarUrl, $"/{index}/_bulk"), content, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Ensure(response, text, $"POST /{index}/_bulk");
            done += batch.Length;
            if (stopwatch.Elapsed - lastReport > TimeSpan.FromSeconds(5) || done == collection.Documents.Count)
            {
                lastReport = stopwatch.Elapsed;
                output.WriteLine($"quickstart:   {done:N0} / {collection.Documents.Count:N0} documents ({done / Math.Max(0.001, stopwatch.Elapsed.TotalSeconds):F0}/s)");
            }
        }

        await SendAsync(http, HttpMethod.Post, $"/{index}/_refresh", null, cancellationToken);
        var status = await IndexStatusCounter.CountAsync(cluster, index, cancellationToken);
        output.WriteLine($"quickstart: [{index}] holds {status.Documents:N0} documents, {status.Current:N0} with current vectors ({stopwatch.Elapsed.TotalSeconds:F0} s)");
        if (status.Current < status.Documents)
        {
            output.WriteLine($"quickstart: {status.Documents - status.Current:N0} documents have no current vectors: `rerank ingest backfill --cluster {SidecarUrl.ToString().TrimEnd('/')} --index {index} --model <bundle>` fills them in");
        }
    }

    private async Task SendAsync(HttpClient http, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(SidecarUrl, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        Ensure(response, await response.Content.ReadAsStringAsync(cancellationToken), $"{method} {path}");
    }

    private static string SearchBody(string query, bool explain)
    {
        var body = new JsonObject
        {
            ["query"] = new JsonObject { ["multi_match"] = new JsonObject { ["query"] = query, ["fields"] = new JsonArray("title", "text") } },
            ["size"] = 3,
            ["_source"] = new JsonArray("title"),
        };
        if (explain)
        {
            body["ext"] = new JsonObject { ["rerank"] = new JsonObject { ["explain"] = true } };
        }

        return body.ToJsonString();
    }

    private static void Ensure(HttpResponseMessage response, string text, string what)
    {
        if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
        {
            throw new QuickstartException($"{what} failed with {(int)response.StatusCode}: {Shorten(text, 300)}");
        }
    }

    /// <summary>Single-quoted for a POSIX shell: a quote inside becomes '\''.</summary>
    private static string ShellQuote(string text) => text.Replace("'", "'\\''", StringComparison.Ordinal);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    /// <summary>The documents to index, the index name and a query to check with.</summary>
    private sealed record Collection(string Index, string Source, IReadOnlyList<BeirDocument> Documents, string Query, string Fingerprint)
    {
        public static Collection Open(string? directory)
        {
            if (directory is null)
            {
                return new Collection(SampleCorpus.Name, "built in", SampleCorpus.Documents, SampleCorpus.Query, "v1");
            }

            var corpus = Path.Combine(directory, "corpus.jsonl");
            var queries = Path.Combine(directory, "queries.jsonl");
            if (!File.Exists(corpus) || !File.Exists(queries))
            {
                throw new QuickstartException($"{directory} is not a BEIR collection: it needs corpus.jsonl and queries.jsonl");
            }

            var documents = BeirReader.ReadCorpus(corpus).ToList();
            var query = BeirReader.ReadQueries(queries).FirstOrDefault()?.Text
                ?? throw new QuickstartException($"{queries} holds no query");
            var info = new FileInfo(corpus);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")))[..12];
            var name = new string([.. Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant()
                .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]).TrimStart('-', '_');
            return new Collection(name.Length == 0 ? "collection" : name, directory, documents, query, fingerprint);
        }
    }
}
