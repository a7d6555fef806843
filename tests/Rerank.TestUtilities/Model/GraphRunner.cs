using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Onnx;

namespace Rerank.TestUtilities.Model;

/// <summary>Saves a built graph and runs it in ONNX Runtime: the way tests get a graph's real outputs.</summary>
internal sealed class GraphRunner : IDisposable
{
    private readonly InferenceSession _session;

    public GraphRunner(OnnxGraphBuilder graph, string directory)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Save(graph.Build("rerank-tests"), path);
        _session = new InferenceSession(path);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Runs the graph; inputs are (name, float[] or long[], shape); returns each requested output's values.</summary>
    public float[][] Run(IReadOnlyList<(string Name, Array Values, long[] Shape)> inputs, params string[] outputs)
    {
        var values = inputs.Select(i => i.Values switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(f, i.Shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(l, i.Shape),
            _ => throw new ArgumentException($"Unsupported input type for {i.Name}."),
        }).ToArray();
        try
        {
            using var results = _session.Run(new RunOptions(), inputs.Select(i => i.Name).ToArray(), values, outputs);
            return [.. results.Select(r => r.GetTensorDataAsSpan<float>().ToArray())];
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
