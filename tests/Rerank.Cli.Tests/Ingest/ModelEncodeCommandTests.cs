using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Tests.Ingest;

public sealed class ModelEncodeCommandTests(IngestEngine engine) : IClassFixture<IngestEngine>
{
    [Fact]
    public void ModelEncode_Json_OneEmbeddingAndProjectionPerLineEqualToTheBatchedEncoder()
    {
        // Three passages by hand: "alpha beta", "" (the empty middle line), "gamma delta epsilon".
        var passages = engine.Temp.WriteFile("encode.txt", "alpha beta\n\ngamma delta epsilon\n");

        var result = CliRunner.Run("model", "encode", "--model", engine.Bundle, "--passages", passages, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(["model", "passages"], json.Select(p => p.Key));
        Assert.Equal(engine.ModelId, json["model"]!.GetValue<string>());
        var items = json["passages"]!.AsArray();
        Assert.Equal(3, items.Count);
        using var model = StudentModel.Load(engine.Bundle);
        var batched = model.EncodePassages(["alpha beta", "", "gamma delta epsilon"], TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
        {
            var embedding = items[i]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            var projection = items[i]!["projection"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            Assert.Equal(IngestEngine.Dim, embedding.Length);
            Assert.Equal(IngestEngine.ProjectionDim, projection.Length);
            Assert.All(embedding.Zip(batched.Embedding(i).ToArray()), p => Assert.Equal(p.Second, p.First, 1e-4f));
            Assert.All(projection.Zip(batched.Projection(i).ToArray()), p => Assert.Equal(p.Second, p.First, 1e-4f));
        }

        // Different passages, different vectors.
        Assert.NotEqual(items[0]!["projection"]!.ToJsonString(), items[2]!["projection"]!.ToJsonString());
    }

    [Fact]
    public void ModelEncode_Text_TwoLinesPerPassageOfRoundTripFloats()
    {
        var passages = engine.Temp.WriteFile("encode-text.txt", "alpha beta");

        var text = CliRunner.Run("model", "encode", "--model", engine.Bundle, "--passages", passages);
        var json = CliRunner.Run("model", "encode", "--model", engine.Bundle, "--passages", passages, "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("embedding ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("projection ", lines[1], StringComparison.Ordinal);
        var projection = lines[1]["projection ".Length..].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture));
        var expected = JsonNode.Parse(json.Output)!["passages"]![0]!["projection"]!.AsArray().Select(v => v!.GetValue<float>());
        Assert.Equal(expected, projection);
    }

    [Fact]
    public void ModelEncode_MissingBundle_IsOneErrorLine()
    {
        var passages = engine.Temp.WriteFile("encode-missing.txt", "x");

        var result = CliRunner.Run("model", "encode", "--model", Path.Combine(engine.Temp.Path, "nope"), "--passages", passages);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
