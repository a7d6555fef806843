using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using static Rerank.Model.Architecture.StudentHeadNames;

namespace Rerank.Model.Graphs;

/// <summary>The interaction emulation module (IEM) as ONNX subgraphs: as the paper writes it, and factorised for serving.</summary>
/// <remarks>
/// D2LLM.md section 2, hidden width H (512), input order [query ; passage]:
/// 1. x = ReLU(W1 [q ; p] + b1).
/// 2. y = ReLU(P_b x + c_b) for branch b (0 symmetric, 1 asymmetric).
/// 3. logit = w2 · y + b2, one head shared by both branches; y is the student feature y^S.
/// Factorised (exact): W1 [q ; p] = W1q q + W1p p, so u_p = W1p p + b1 is computed once per passage and step 1
/// becomes x = ReLU(u_p + W1q q): one H-wide add per candidate instead of a 2d x H product.
/// </remarks>
public static class IemGraph
{
    /// <summary>
    /// The unfactorised IEM over row-aligned pairs: <paramref name="query"/> and <paramref name="passage"/> float
    /// <c>[n, d]</c>, <paramref name="branch"/> an int64 scalar. Returns the logits <c>[n]</c> and features <c>[n, H]</c>.
    /// </summary>
    public static (string Logits, string Features) AddInteraction(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string query, string passage, string branch)
    {
        ArgumentNullException.ThrowIfNull(graph);
        PmaGraph.ThrowIfInvalid(config);
        var pair = graph.Node("Concat", [query, passage], OnnxAttribute.Int("axis", 1));
        var x = graph.Node("Relu", [GraphLayers.Linear(graph, pair, InputWeight(config, weights), InputBias(config, weights))]);
        return AddBranchAndHead(graph, config, weights, x, branch);
    }

    /// <summary>u_p = W1p p + b1 for passage embeddings float <c>[n, d]</c>; returns <c>[n, H]</c>.</summary>
    public static string AddPassageProjection(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string passage)
    {
        ArgumentNullException.ThrowIfNull(graph);
        PmaGraph.ThrowIfInvalid(config);
        var w1 = InputWeight(config, weights);
        var w1p = graph.Initializer("iem.fc1.weight.passage.T", GraphLayers.TransposedColumns(w1.Values, config.IemHidden, 2 * config.Dim, config.Dim, config.Dim), config.Dim, config.IemHidden);
        var b1 = InputBias(config, weights);
        return graph.Node("Add", [graph.Node("MatMul", [passage, w1p]), graph.Initializer(b1.Name, b1.Values, b1.Shape)]);
    }

    /// <summary>
    /// The factorised scorer: one <paramref name="query"/> embedding float <c>[1, d]</c>, K passage
    /// <paramref name="projections"/> u_p float <c>[K, H]</c> and an int64 scalar <paramref name="branch"/>; returns
    /// the logits <c>[K]</c> and features <c>[K, H]</c>.
    /// </summary>
    public static (string Logits, string Features) AddFactorisedScorer(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string query, string projections, string branch)
    {
        ArgumentNullException.ThrowIfNull(graph);
        PmaGraph.ThrowIfInvalid(config);
        var w1 = InputWeight(config, weights);
        var w1q = graph.Initializer("iem.fc1.weight.query.T", GraphLayers.TransposedColumns(w1.Values, config.IemHidden, 2 * config.Dim, 0, config.Dim), config.Dim, config.IemHidden);
        var queryPart = graph.Node("MatMul", [query, w1q]); // [1, H], broadcast over the K rows below
        var x = graph.Node("Relu", [graph.Node("Add", [projections, queryPart])]);
        return AddBranchAndHead(graph, config, weights, x, branch);
    }

    private static (string Logits, string Features) AddBranchAndHead(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string x, string branch)
    {
        long h = config.IemHidden;

        // Both branches' P^T stacked as [2, H, H] (and c as [2, H]); Gather by the branch scalar picks one.
        var stackedWeights = new float[2 * h * h];
        var stackedBiases = new float[2 * h];
        for (var b = 0; b < 2; b++)
        {
            var weight = weights.Get(Weight(IemBranch(b)), h, h);
            GraphLayers.Transpose(weight.Values, (int)h, (int)h).CopyTo(stackedWeights, b * h * h);
            weights.Get(Bias(IemBranch(b)), h).Values.CopyTo(stackedBiases, b * h);
        }

        var branchWeight = graph.Node("Gather", [graph.Initializer("iem.branches.weight.T", stackedWeights, 2, h, h), branch], OnnxAttribute.Int("axis", 0));
        var branchBias = graph.Node("Gather", [graph.Initializer("iem.branches.bias", stackedBiases, 2, h), branch], OnnxAttribute.Int("axis", 0));
        var features = graph.Node("Relu", [graph.Node("Add", [graph.Node("MatMul", [x, branchWeight]), branchBias])]);

        var head = GraphLayers.Linear(graph, features, weights.Get(Weight(IemHead), 1, h), weights.Get(Bias(IemHead), 1)); // [n, 1]
        var logits = graph.Node("Reshape", [head, GraphLayers.Shape(graph, "iem.logits_shape", -1)]);
        return (logits, features);
    }

    private static WeightTensor InputWeight(StudentHeadsConfig config, WeightSet weights) => weights.Get(Weight(IemInput), config.IemHidden, 2L * config.Dim);

    private static WeightTensor InputBias(StudentHeadsConfig config, WeightSet weights) => weights.Get(Bias(IemInput), config.IemHidden);
}
