using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.MappingBootstrap;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;

namespace Rerank.Benchmarks.Storage;

/// <summary>
/// SciFact passages with real projections u_p, indexed into the embedded engine (in process, over HTTP on 127.0.0.1)
/// once per <see cref="ProjectionEncoding"/>: index <c>u-float32</c>, <c>u-float16</c>, <c>u-int8</c>, each mapped by
/// <see cref="RerankMapping"/> plus a <c>contents</c> text field for BM25. The student is a tiny random bundle
/// (<c>rerank model init</c> defaults over the SciFact vocabulary: IEM hidden H = 512, as the paper's). Owns and
/// disposes the model, the engine and the temporary directories.
/// </summary>
internal sealed class ProjectionCorpus : IDisposable
{
    public const string ProjectionPath = RerankStoredFields.DefaultProjection;

    /// <summary>
    /// How documents are written: JSON's required escapes only, as Elasticsearch's clients write (System.Text.Json's
    /// default encoder would write each '+' of Base64 as \u002B, about 6% more bytes).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int EncodeBatch = 64;
    private const int BulkBatch = 500;

    private readonly string _work;
    private readonly EngineHost _host;

    private ProjectionCorpus(string work, BeirDataset dataset, StudentModel model, EngineHost host, HttpClient client, List<BeirDocument> documents, float[] projections)
    {
        _work = work;
        Dataset = dataset;
        Model = model;
        _host = host;
        Client = client;
        Documents = documents;
        Projections = projections;
    }

    public BeirDataset Dataset { get; }

    public StudentModel Model { get; }

    public HttpClient Client { get; }

    /// <summary>The indexed passages, in index order.</summary>
    public IReadOnlyList<BeirDocument> Documents { get; }

    /// <summary>The model's u_p of each passage, <c>Documents.Count * Hidden</c> floats, document order.</summary>
    public float[] Projections { get; }

    /// <summary>H, the width of u_p.</summary>
    public int Hidden => Model.ProjectionDim;

    /// <summary>Builds the bundle, encodes the first <paramref name="limit"/> passages (all when null) and indexes them three times.</summary>
    public static ProjectionCorpus Create(int? limit, TextWriter? log = null)
    {
        var dataset = BenchmarkData.SciFactTest();
        var corpus = dataset.ReadCorpus().ToList();
        var documents = limit is { } n ? corpus.Take(n).ToList() : corpus;
        var work = Path.Combine(Path.GetTempPath(), "rerank-bench-storage", Guid.NewGuid().ToString("N"));
        var bundle = Path.Combine(work, "bundle");
        RandomBundle.Write(bundle, new RandomBundleSettings { VocabularyTexts = corpus.Select(d => d.Title + " " + d.Text) });
        var model = StudentModel.Load(bundle, new StudentModelOptions { PreferGpu = false });
        var hidden = model.ProjectionDim;
        var projections = new float[documents.Count * hidden];
        foreach (var (batch, index) in documents.Chunk(EncodeBatch).Select((b, i) => (b, i)))
        {
            var encoded = model.EncodePassages([.. batch.Select(BeirBulkBody.Contents)]);
            encoded.Projections.CopyTo(projections, index * EncodeBatch * hidden);
        }

        log?.WriteLine($"encoded {documents.Count} passages (H = {hidden})");
        var host = EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(work, "engine"), Urls = ["http://127.0.0.1:0"] })
            .GetAwaiter().GetResult();
        var client = new HttpClient { BaseAddress = host.Urls[0] };
        var result = new ProjectionCorpus(work, dataset, model, host, client, documents, projections);
        foreach (var encoding in Enum.GetValues<ProjectionEncoding>())
        {
            result.Load(encoding);
        }

        log?.WriteLine("indexed into u-float32, u-float16, u-int8");
        return result;
    }

    public static string IndexName(ProjectionEncoding encoding) => "u-" + ProjectionEncodingNames.ToName(encoding);

    /// <summary>The projection of document <paramref name="index"/> as its field holds it in _source.</summary>
    public JsonNode Stored(int index, ProjectionEncoding encoding) =>
        ProjectionCodec.Encode(Projections.AsSpan(index * Hidden, Hidden), encoding);

    /// <summary>The raw response body of a search on the index of <paramref name="encoding"/>.</summary>
    public byte[] Search(ProjectionEncoding encoding, JsonObject body) =>
        Send(HttpMethod.Post, $"/{IndexName(encoding)}/_search", body.ToJsonString(), "application/json");

    public void Dispose()
    {
        Client.Dispose();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Model.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private void Load(ProjectionEncoding encoding)
    {
        var config = new RerankIndexConfig { ModelId = Model.ModelId, TextFields = [BeirBulkBody.ContentsField], ProjectionEncoding = encoding };
        var properties = RerankMapping.Properties(config, Model.Dim, Hidden);
        properties[BeirBulkBody.ContentsField] = new JsonObject { ["type"] = "text" };
        var index = IndexName(encoding);
        Send(HttpMethod.Put, "/" + index, new JsonObject
        {
            ["settings"] = new JsonObject { ["number_of_replicas"] = 0 },
            ["mappings"] = new JsonObject { ["properties"] = properties },
        }.ToJsonString(), "application/json");
        for (var start = 0; start < Documents.Count; start += BulkBatch)
        {
            var body = new StringBuilder();
            for (var i = start; i < Math.Min(start + BulkBatch, Documents.Count); i++)
            {
                var source = new JsonObject
                {
                    [BeirBulkBody.ContentsField] = BeirBulkBody.Contents(Documents[i]),
                    ["rerank"] = new JsonObject { ["projection"] = Stored(i, encoding) },
                };
                body.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = Documents[i].Id } }.ToJsonString()).Append('\n');
                body.Append(source.ToJsonString(Json)).Append('\n');
            }

            var response = JsonNode.Parse(Send(HttpMethod.Post, $"/{index}/_bulk", body.ToString(), "application/x-ndjson"))!;
            if ((bool?)response["errors"] == true)
            {
                throw new InvalidOperationException($"Bulk into {index} failed: {response["items"]![0]!.ToJsonString()}");
            }
        }

        Send(HttpMethod.Post, $"/{index}/_refresh", null, "application/json");
    }

    private byte[] Send(HttpMethod method, string path, string? body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = Client.Send(request);
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return response.IsSuccessStatusCode
            ? bytes
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
    }
}
