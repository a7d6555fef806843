using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.IngestPipeline.Bulk;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Diagnostics;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;
using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>A <see cref="WritePipeline"/> over the tiny model (wrapped in a <see cref="TestEncoder"/>) and a fake config source.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public const string Index = "docs";

    public PipelineHarness(StudentModel model, EncodingOptions? options = null, TestEncoder? encoder = null,
        ProjectionEncoding projection = ProjectionEncoding.Float32, bool embedding = true)
    {
        Model = model;
        Encoder = encoder ?? new TestEncoder(new StudentPassageEncoder(model));
        Config = new RerankIndexConfig
        {
            ModelId = model.ModelId,
            TextFields = ["title", "text"],
            ProjectionEncoding = projection,
            Fields = new RerankStoredFields { Embedding = embedding ? RerankStoredFields.DefaultEmbedding : null },
        };
        Configs.Configs[Index] = Config;
        Pipeline = new WritePipeline(Configs, new FakeEncoderSource(Encoder), options ?? new EncodingOptions(),
            NullLoggerFactory.Instance, new IngestMetrics(Meters), TimeProvider.System);
    }

    public StudentModel Model { get; }

    public TestEncoder Encoder { get; }

    public RerankIndexConfig Config { get; }

    public FakeConfigSource Configs { get; } = new();

    public TestMeterFactory Meters { get; } = new();

    public WritePipeline Pipeline { get; }

    public async Task<(string Output, BulkRewriteSummary Summary)> BulkAsync(string body, string? pathIndex = null)
    {
        var (output, summary) = await BulkBytesAsync(System.Text.Encoding.UTF8.GetBytes(body), pathIndex);
        return (System.Text.Encoding.UTF8.GetString(output), summary);
    }

    public async Task<(byte[] Output, BulkRewriteSummary Summary)> BulkBytesAsync(byte[] body, string? pathIndex = null)
    {
        using var input = new MemoryStream(body);
        using var output = new MemoryStream();
        var summary = await Pipeline.RewriteBulkAsync(input, output, pathIndex, null, TestContext.Current.CancellationToken);
        return (output.ToArray(), summary);
    }

    /// <summary>Checks a stored source against the model run on <paramref name="expectedText"/> alone (one text per call).</summary>
    public void AssertVectors(JsonElement source, string expectedText)
    {
        var reference = Model.EncodePassages([expectedText], TestContext.Current.CancellationToken);
        var rerank = source.GetProperty("rerank");
        Assert.Equal(Model.ModelId, rerank.GetProperty("model").GetString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expectedText))), rerank.GetProperty("text_hash").GetString());
        Assert.False(rerank.TryGetProperty("stale", out var stale) && stale.ValueKind != JsonValueKind.Null);

        var projection = new float[Model.ProjectionDim];
        Assert.True(ProjectionCodec.TryDecode(rerank.GetProperty("projection"), Config.ProjectionEncoding, projection));
        var expected = reference.Projection(0).Span;
        for (var i = 0; i < projection.Length; i++)
        {
            // float32: batch padding only; float16: half precision's 2^-11 relative step.
            var tolerance = Config.ProjectionEncoding == ProjectionEncoding.Float32 ? 1e-5 : (1e-3 * Math.Abs(expected[i])) + 1e-4;
            Assert.True(Math.Abs(projection[i] - expected[i]) <= tolerance, $"projection[{i}] {projection[i]} vs {expected[i]}");
        }

        if (Config.Fields.Embedding is not null)
        {
            var embedding = rerank.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var expectedEmbedding = reference.Embedding(0).Span;
            Assert.Equal(expectedEmbedding.Length, embedding.Length);
            for (var i = 0; i < embedding.Length; i++)
            {
                Assert.True(Math.Abs(embedding[i] - expectedEmbedding[i]) <= 1e-5, $"embedding[{i}] {embedding[i]} vs {expectedEmbedding[i]}");
            }
        }
    }

    /// <summary>Asserts the stored source has no vectors and the given stale mark.</summary>
    public static void AssertStale(JsonElement source, string reason)
    {
        var rerank = source.GetProperty("rerank");
        Assert.Equal(reason, rerank.GetProperty("stale").GetString());
        Assert.False(rerank.TryGetProperty("projection", out _));
        Assert.False(rerank.TryGetProperty("embedding", out _));
        Assert.False(rerank.TryGetProperty("text_hash", out _));
    }

    /// <summary>The lines of an NDJSON body, each with its terminator.</summary>
    public static List<string> Lines(string body)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\n')
            {
                lines.Add(body[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < body.Length)
        {
            lines.Add(body[start..]);
        }

        return lines;
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        Encoder.Dispose();
        Meters.Dispose();
    }
}
