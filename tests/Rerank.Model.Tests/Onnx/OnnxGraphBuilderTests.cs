using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Onnx;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Onnx;

public sealed class OnnxGraphBuilderTests : IDisposable
{
    // y = relu(x W + b) with x [batch, 3], W [3, 2], b [2].
    private static readonly float[] Weights = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f];
    private static readonly float[] Bias = [0.1f, -0.2f];
    private static readonly float[] Inputs = [1f, 2f, 3f, -1f, 0.5f, 4f];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GemmRelu_RunInOnnxRuntime_MatchesPlainComputation()
    {
        var path = Path.Combine(_temp.Path, "gemm.onnx");

        var external = OnnxModelFile.Save(BuildGemmRelu().Build("rerank-tests"), path);

        Assert.Null(external);
        AssertOutputsMatchReference(path);
    }

    [Fact]
    public void GemmRelu_ExternalData_RunsFromTheDataFile()
    {
        var path = Path.Combine(_temp.Path, "gemm-external.onnx");
        var big = new OnnxGraphBuilder("big");
        var x = big.Input("x", OnnxElementType.Float, "batch", 3);
        var w = big.Initializer("w", Enumerable.Repeat(Weights, 50).SelectMany(v => v).ToArray(), 3, 100);
        big.Output(big.NamedNode("MatMul", "y", [x, w]), OnnxElementType.Float, "batch", 100);

        var external = OnnxModelFile.Save(big.Build("rerank-tests"), path, externalData: true);

        Assert.NotNull(external);
        Assert.True(new FileInfo(path).Length < 1024, "the weights must not be inline");
        Assert.True(new FileInfo(external).Length >= 3 * 100 * sizeof(float));
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory((float[])[1f, 0f, 0f], [1, 3]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["y"]);
        // Row 0 of w: the first 100 values of the repeated weight list.
        var expected = Enumerable.Repeat(Weights, 50).SelectMany(v => v).Take(100).ToArray();
        Assert.Equal(expected, outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Build_Twice_GivesIdenticalBytes()
    {
        var first = Path.Combine(_temp.Path, "a.onnx");
        var second = Path.Combine(_temp.Path, "b.onnx");

        OnnxModelFile.Save(BuildGemmRelu().Build("rerank-tests", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }), first);
        OnnxModelFile.Save(BuildGemmRelu().Build("rerank-tests", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), second);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Build_PinsOpsetAndIrVersion()
    {
        var model = BuildGemmRelu().Build("rerank-tests");

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
    }

    [Fact]
    public void Node_UnknownInput_NamesIt()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.Input("x", OnnxElementType.Float, 1);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Node("Add", ["x", "missing"]));

        Assert.Contains("'missing'", error.Message);
    }

    [Fact]
    public void Input_DuplicateName_IsRejected()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.Input("x", OnnxElementType.Float, 1);

        Assert.Throws<InvalidOperationException>(() => builder.Initializer("x", (float[])[1f], 1));
    }

    [Fact]
    public void Initializer_CountDisagreesWithDims_Throws()
    {
        var builder = new OnnxGraphBuilder("g");

        var error = Assert.Throws<ArgumentException>(() => builder.Initializer("w", (float[])[1f, 2f, 3f], 2, 2));

        Assert.Contains("'w' has 3 values", error.Message);
    }

    [Fact]
    public void InitializerTakingOwnership_TransposedBytes_RunsAsTheTransposedMatrix()
    {
        // W is [2, 3] = [[1, 2, 3], [4, 5, 6]] in PyTorch layout; the initializer is W^T [3, 2] = [[1, 4], [2, 5], [3, 6]].
        var path = Path.Combine(_temp.Path, "owned.onnx");
        var graph = new OnnxGraphBuilder("owned");
        var x = graph.Input("x", OnnxElementType.Float, 1, 3);
        var bytes = Rerank.Model.Graphs.GraphLayers.TransposedBytes([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var w = graph.InitializerTakingOwnership("w", bytes, 3, 2);
        graph.Output(graph.NamedNode("MatMul", "y", [x, w]), OnnxElementType.Float, 1, 2);
        OnnxModelFile.Save(graph.Build("rerank-tests"), path);

        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory((float[])[1f, 10f, 100f], [1, 3]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["y"]);

        // [1, 10, 100] x W^T = [1 + 20 + 300, 4 + 50 + 600].
        Assert.Equal([321f, 654f], outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(7, "not a whole number of floats")]
    [InlineData(12, "'w' has 3 values")]
    public void InitializerTakingOwnership_BadLength_Throws(int byteCount, string message)
    {
        var builder = new OnnxGraphBuilder("g");

        var error = Assert.Throws<ArgumentException>(() => builder.InitializerTakingOwnership("w", new byte[byteCount], 2, 2));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Output_UnknownValue_Throws()
    {
        var builder = new OnnxGraphBuilder("g");

        Assert.Throws<InvalidOperationException>(() => builder.Output("nothing", OnnxElementType.Float, 1));
    }

    [Theory]
    [InlineData(true, new[] { 3f, 4f })]
    [InlineData(false, new[] { -1f, -2f })]
    public void If_SubgraphsReadOuterValues_RunTheChosenBranch(bool condition, float[] expected)
    {
        // then: x + 2, else: -x, for x = [1, 2]; both branches read x from the outer graph.
        var builder = new OnnxGraphBuilder("if");
        var x = builder.Input("x", OnnxElementType.Float, 2);
        var cond = builder.Input("cond", OnnxElementType.Bool);
        var two = builder.Initializer("two", (float[])[2f], 1);
        var then = builder.Subgraph("then");
        then.Output(then.NamedNode("Add", "then_y", [x, two]), OnnxElementType.Float, 2);
        var otherwise = builder.Subgraph("else");
        otherwise.Output(otherwise.NamedNode("Neg", "else_y", [x]), OnnxElementType.Float, 2);
        var y = builder.NamedNode("If", "y", [cond], OnnxAttribute.Graph("then_branch", then), OnnxAttribute.Graph("else_branch", otherwise));
        builder.Output(y, OnnxElementType.Float, 2);
        var path = Path.Combine(_temp.Path, "if.onnx");
        OnnxModelFile.Save(builder.Build("rerank-tests"), path);

        using var session = new InferenceSession(path);
        using var xValue = OrtValue.CreateTensorValueFromMemory((float[])[1f, 2f], [2]);
        using var condValue = OrtValue.CreateTensorValueFromMemory((bool[])[condition], []);
        using var outputs = session.Run(new RunOptions(), ["x", "cond"], [xValue, condValue], ["y"]);

        Assert.Equal(expected, outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Subgraph_NameOfAnOuterValue_IsRejected()
    {
        var builder = new OnnxGraphBuilder("g");
        var x = builder.Input("x", OnnxElementType.Float, 1);
        var sub = builder.Subgraph("sub");

        Assert.Throws<InvalidOperationException>(() => sub.NamedNode("Neg", x, [x]));
    }

    [Fact]
    public void Subgraph_ValuesAreNotVisibleToTheOuterGraph()
    {
        var builder = new OnnxGraphBuilder("g");
        var x = builder.Input("x", OnnxElementType.Float, 1);
        var sub = builder.Subgraph("sub");
        var inner = sub.Node("Neg", [x]);

        Assert.Throws<InvalidOperationException>(() => builder.Node("Neg", [inner]));
    }

    private static OnnxGraphBuilder BuildGemmRelu()
    {
        var builder = new OnnxGraphBuilder("gemm_relu");
        var x = builder.Input("x", OnnxElementType.Float, "batch", 3);
        var w = builder.Initializer("w", Weights, 3, 2);
        var b = builder.Initializer("b", Bias, 2);
        var gemm = builder.Node("Gemm", [x, w, b]);
        builder.Output(builder.NamedNode("Relu", "y", [gemm]), OnnxElementType.Float, "batch", 2);
        return builder;
    }

    private static void AssertOutputsMatchReference(string path)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(Inputs, [2, 3]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["y"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        // Plain reference: y[r, c] = max(0, sum_k x[r, k] W[k, c] + b[c]).
        var expected = new double[4];
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                var sum = (double)Bias[c];
                for (var k = 0; k < 3; k++)
                {
                    sum += Inputs[(r * 3) + k] * (double)Weights[(k * 2) + c];
                }

                expected[(r * 2) + c] = Math.Max(0, sum);
            }
        }

        Assert.Equal(4, actual.Length);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5);
        }
    }
}
