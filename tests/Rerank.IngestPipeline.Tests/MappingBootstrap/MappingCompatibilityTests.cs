using System.Text.Json;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.MappingBootstrap;

namespace Rerank.IngestPipeline.Tests.MappingBootstrap;

public sealed class MappingCompatibilityTests
{
    private static readonly RerankIndexConfig Float16 = new() { ModelId = "m", TextFields = ["title", "text"] };

    private static readonly RerankIndexConfig WithEmbedding = Float16 with
    {
        ProjectionEncoding = ProjectionEncoding.Float32,
        Fields = new RerankStoredFields { Embedding = RerankStoredFields.DefaultEmbedding },
    };

    [Fact]
    public void Differences_EmptyMapping_None() =>
        Assert.Empty(MappingCompatibility.Differences(Parse("{}"), Float16, 16, 8));

    [Fact]
    public void Differences_WhatInitInstalls_None()
    {
        // As GET _mapping shows an index set up with float16 and H = 8, d = 16.
        var mappings = Parse("""
            {"properties": {"title": {"type": "text"}, "text": {"type": "keyword"},
              "rerank": {"properties": {"projection": {"type": "binary", "doc_values": true}, "model": {"type": "keyword"},
                "text_hash": {"type": "keyword"}, "stale": {"type": "keyword"}}}}}
            """);

        Assert.Empty(MappingCompatibility.Differences(mappings, Float16, 16, 8));
    }

    [Fact]
    public void Differences_BinaryWithoutDocValuesAndKeywordNotIndexed_NameTheParameters()
    {
        var mappings = Parse("""
            {"properties": {"rerank": {"properties": {"projection": {"type": "binary"}, "model": {"type": "keyword", "index": false}}}}}
            """);

        var differences = MappingCompatibility.Differences(mappings, Float16, 16, 8);

        Assert.Equal(
        [
            "[rerank.projection] is mapped as [binary] but the config needs [binary, doc_values true]; doc_values false instead of true",
            "[rerank.model] is mapped as [keyword, index false] but the config needs [keyword]; index false instead of true",
        ], differences);
    }

    [Fact]
    public void Differences_EmbeddingOfOtherSimilarityAndParentNotAnObject_NameEach()
    {
        var mappings = Parse("""
            {"properties": {"rerank": {"properties": {"embedding": {"type": "dense_vector", "dims": 16, "similarity": "dot_product"}}},
              "title": {"properties": {"main": {"type": "text"}}}}}
            """);
        var blocked = Parse("""{"properties": {"rerank": {"type": "keyword"}}}""");

        var differences = MappingCompatibility.Differences(mappings, WithEmbedding, 16, 8);
        var blockedDifferences = MappingCompatibility.Differences(blocked, WithEmbedding, 16, 8);

        Assert.Equal(
        [
            "[rerank.embedding] is mapped as [dense_vector, dims 16, similarity dot_product] but the config needs [dense_vector, dims 16, index true, similarity cosine]; similarity dot_product instead of cosine",
            "text field [title] is mapped as [object]; a text field must be a string type (text, keyword, match_only_text, wildcard, constant_keyword, search_as_you_type)",
        ], differences);
        // One line per stored field under the keyword.
        Assert.Equal(5, blockedDifferences.Count);
        Assert.Equal("[rerank] is mapped as [keyword], so it cannot hold the object field [rerank.projection]", blockedDifferences[0]);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
