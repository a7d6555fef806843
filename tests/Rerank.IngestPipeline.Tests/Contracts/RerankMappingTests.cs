using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.MappingBootstrap;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class RerankMappingTests
{
    [Fact]
    public void Properties_DefaultFields_NestUnderRerankWithDocumentedTypes()
    {
        var config = new RerankIndexConfig { ModelId = "m", TextFields = ["text"], Fields = new RerankStoredFields { Embedding = "rerank.embedding" } };

        var properties = RerankMapping.Properties(config, dim: 64, projectionDim: 512);

        var expected = JsonNode.Parse("""
            {"rerank": {"properties": {
              "projection": {"type": "binary", "doc_values": true},
              "embedding": {"type": "dense_vector", "dims": 64, "index": true, "similarity": "cosine"},
              "model": {"type": "keyword"},
              "text_hash": {"type": "keyword"},
              "stale": {"type": "keyword"}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, properties), properties.ToJsonString());
    }

    [Fact]
    public void Properties_Float32_IsAnUnindexedDenseVectorOfTheProjectionWidth()
    {
        var config = new RerankIndexConfig
        {
            ModelId = "m", TextFields = ["text"], ProjectionEncoding = ProjectionEncoding.Float32,
            Fields = new RerankStoredFields { Projection = "up", Model = "meta.model", TextHash = "meta.hash", Stale = "meta.stale" },
        };

        var properties = RerankMapping.Properties(config, dim: 64, projectionDim: 512);

        Assert.Equal("""{"type":"dense_vector","dims":512,"index":false}""", properties["up"]!.ToJsonString());
        Assert.Equal("""{"type":"keyword"}""", properties["meta"]!["properties"]!["hash"]!.ToJsonString());
        Assert.Null(properties["rerank"]);
    }
}
