using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;

namespace Rerank.Benchmarks.Writes;

/// <summary>
/// The write benchmarks' setup: the tiny student (<c>rerank model init</c> defaults over SciFact's vocabulary, CPU), a
/// <see cref="WritePipeline"/> with one enabled index, and 400 SciFact documents as bulks of <see cref="BulkSize"/>
/// for the enabled index and for an index without <c>_meta.rerank</c>. One operation sends all 400 documents from
/// <see cref="Clients"/> concurrent clients (so batches form across requests).
/// </summary>
internal sealed class BulkRewriteFixture : IDisposable
{
    public const int Documents = 400;
    public const int Clients = 4;
    public const int BulkSize = 50;

    private readonly string _directory;
    private readonly StudentModel _model;
    private readonly WritePipeline _pipeline;
    private readonly byte[][] _enabled;
    private readonly byte[][] _other;
    private readonly string[] _texts;

    public BulkRewriteFixture(EncodingOptions options)
    {
        var corpus = BeirDataset.Open(BenchmarkData.Collection("scifact"), "test").ReadCorpus().ToList();
        _directory = Path.Combine(Path.GetTempPath(), "rerank-bench-writes", Guid.NewGuid().ToString("N"));
        RandomBundle.Write(_directory, new RandomBundleSettings { VocabularyTexts = corpus.Select(d => d.Title + " " + d.Text) });
        _model = StudentModel.Load(_directory, new StudentModelOptions { PreferGpu = false });
        var config = new RerankIndexConfig { ModelId = _model.ModelId, TextFields = ["title", "text"] };
        _pipeline = new WritePipeline(new Configs(config), new Encoders(new StudentPassageEncoder(_model)), options,
            NullLoggerFactory.Instance, new IngestMetrics(new Meters()), TimeProvider.System);
        _enabled = Bulks(corpus, "scifact");
        _other = Bulks(corpus, "plain");
        _texts = [.. corpus.Take(Documents).Select(d => d.Title + " " + d.Text)];
    }

    /// <summary>The model alone on the same passages, in batches of 64 on one thread: the floor for any rewrite.</summary>
    public float EncodeOnly()
    {
        var sum = 0f;
        foreach (var chunk in _texts.Chunk(64))
        {
            sum += _model.EncodePassages(chunk).Projections[0];
        }

        return sum;
    }

    public Task Copy() => RunClients(_enabled, static async body =>
    {
        using var input = new MemoryStream(body);
        await input.CopyToAsync(Stream.Null);
    });

    public Task RewriteOther() => RunClients(_other, Rewrite);

    public Task RewriteEnabled() => RunClients(_enabled, Rewrite);

    public void Dispose()
    {
        _pipeline.Dispose();
        _model.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task Rewrite(byte[] body)
    {
        using var input = new MemoryStream(body);
        await _pipeline.RewriteBulkAsync(input, Stream.Null, null, null, CancellationToken.None);
    }

    private static Task RunClients(byte[][] bulks, Func<byte[], Task> send) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; i < bulks.Length; i += Clients)
            {
                await send(bulks[i]);
            }
        })));

    private static byte[][] Bulks(List<BeirDocument> corpus, string index) =>
        [.. corpus.Take(Documents).Chunk(BulkSize).Select(chunk =>
        {
            var body = new StringBuilder();
            foreach (var document in chunk)
            {
                body.Append("{\"index\":{\"_index\":\"").Append(index).Append("\",\"_id\":").Append(JsonSerializer.Serialize(document.Id)).Append("}}\n");
                body.Append(JsonSerializer.Serialize(new { title = document.Title, text = document.Text })).Append('\n');
            }

            return Encoding.UTF8.GetBytes(body.ToString());
        })];

    private sealed class Configs(RerankIndexConfig config) : IIndexConfigSource
    {
        public ValueTask<RerankIndexConfig?> GetAsync(string index, string? authorization, CancellationToken cancellationToken) =>
            ValueTask.FromResult(index == "scifact" ? config : null);
    }

    private sealed class Encoders(IPassageEncoder encoder) : IEncoderSource
    {
        public IPassageEncoder? Find(string modelId) => modelId == encoder.ModelId ? encoder : null;
    }

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
