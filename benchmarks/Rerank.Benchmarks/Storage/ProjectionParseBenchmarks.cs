using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;

namespace Rerank.Benchmarks.Storage;

/// <summary>
/// Parsing a first-stage response of a window of 100 hits into the scorer's input (100 ids and a float[100 * H],
/// H = 512): the real response bodies of the embedded engine for the first 100 SciFact passages with the tiny
/// student's u_p, one per way of storing and fetching it (<see cref="ProjectionCase"/>), float32 through
/// <c>fields</c> the baseline. One operation = one response.
/// </summary>
[MemoryDiagnoser]
public class ProjectionParseBenchmarks
{
    private const int Window = 100;

    private readonly Dictionary<ProjectionCase, byte[]> _responses = [];
    private string[] _ids = [];
    private float[] _projections = [];
    private int _hidden;

    [GlobalSetup]
    public void Setup()
    {
        using var corpus = ProjectionCorpus.Create(Window);
        _hidden = corpus.Hidden;
        foreach (var projectionCase in ProjectionCase.All)
        {
            var body = projectionCase.SearchBody(new JsonObject { ["match_all"] = new JsonObject() }, Window, ProjectionCorpus.ProjectionPath);
            _responses[projectionCase] = corpus.Search(projectionCase.Encoding, body);
        }

        _ids = new string[Window];
        _projections = new float[Window * _hidden];
        foreach (var projectionCase in ProjectionCase.All)
        {
            if (Parse(projectionCase) != Window)
            {
                throw new InvalidOperationException($"{projectionCase.Name}: expected {Window} hits.");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "float32 dense_vector via fields")]
    public int Float32Fields() => Parse(ProjectionCase.All[0]);

    [Benchmark(Description = "float32 dense_vector via _source")]
    public int Float32Source() => Parse(ProjectionCase.All[1]);

    [Benchmark(Description = "float16 binary via docvalue_fields")]
    public int Float16DocValues() => Parse(ProjectionCase.All[2]);

    [Benchmark(Description = "float16 binary via _source")]
    public int Float16Source() => Parse(ProjectionCase.All[3]);

    [Benchmark(Description = "int8 binary via docvalue_fields")]
    public int Int8DocValues() => Parse(ProjectionCase.All[4]);

    [Benchmark(Description = "int8 binary via _source")]
    public int Int8Source() => Parse(ProjectionCase.All[5]);

    private int Parse(ProjectionCase projectionCase) =>
        ProjectionResponseParser.Parse(_responses[projectionCase], projectionCase, ProjectionCorpus.ProjectionPath, _hidden, _ids, _projections);
}
