using System.Text.Json.Nodes;
using Rerank.Model.Pretrained;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Bench;

/// <summary><c>rerank bench model</c>: a real run of the starter bundle against its package's export on a tiny folder.</summary>
public sealed class ModelBenchCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void BenchModel_Starter_ReportsBothSidesAndRatiosThatAgreeWithThem()
    {
        var data = new BeirFolderBuilder()
            .Document("d1", "Aspirin", "Aspirin lowers the risk of heart attack.")
            .Document("d2", "Vitamin D", "Vitamin D deficiency and bone density in older adults.")
            .Document("d3", "Unicode", "Café, naïve, Straße and 東京 in one passage.")
            .Query("q1", "aspirin heart")
            .Query("q2", "bone density")
            .Judgment("q1", "d1", 1)
            .Judgment("q2", "d2", 1)
            .WriteTo(Path.Combine(_temp.Path, "tiny"));
        var model = Path.Combine(_temp.Path, "starter");
        StarterModel.Write(model);
        var json = Path.Combine(_temp.Path, "bench.json");

        var result = CliRunner.Run("bench", "model", "--model", model, "--data", data, "--queries", "2", "--passages", "3", "--window", "10", "--rounds", "1", "--json", json);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("query encode", result.Output);
        Assert.Contains("passage encode", result.Output);
        var figures = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(2, figures["queries"]!.GetValue<int>());
        Assert.Equal(3, figures["passages"]!.GetValue<int>());
        Assert.Equal(
            figures["passages_per_second"]!.GetValue<double>() / figures["export_passages_per_second"]!.GetValue<double>(),
            figures["passage_rate_ratio"]!.GetValue<double>(),
            9);
        Assert.True(figures["query_encode_p50_ms"]!.GetValue<double>() > 0);
        Assert.True(figures["cosine_query_cost_p50_ms"]!.GetValue<double>() > 0);
    }
}
