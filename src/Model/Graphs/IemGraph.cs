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
/// With the cosine term (<see cref="StudentHeadsConfig.CosinePooling"/>) an embedding is [y ; y^] (PMA output, then the
/// normalised pooled state), a projection [u_p ; p^], and logit += a * (q^ · p^).
/// </remarks>
internal static class IemGraph
{
    /// <summary>
    /// The unfactorised IEM over row-aligned pairs: <paramref name="query"/> and <paramref name="passage"/> float
    /// <c>[n, d]</c>, <paramref name="branch"/> an int64 scalar. Returns the logits <c>[n]</c> and features <c>[n, H]</c>.
    /// </summary>
    public static (string Logits, string Features) AddInteraction(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string query, string passage, string branch)
    {
        ArgumentNullException.ThrowIfNull(graph);
        PmaGraph.ThrowIfInvalid(config);
        var (queryPooled, queryUnit) = SplitEmbedding(graph, config, query);
        var (passagePooled, passageUnit) = SplitEmbedding(graph, config, passage);
        var pair = graph.Node("Concat", [queryPooled, passagePooled], OnnxAttribute.Int("axis", 1));
        var x = graph.Node("Relu", [GraphLayers.Linear(graph, pair, InputWeight(config, weights), InputBias(config, weights))]);
        var (logits, features) = AddBranchAndHead(graph, config, weights, x, branch);
        if (queryUnit is null || passageUnit is null)
        {
            return (logits, features);
        }

        // Row-aligned pairs: q^ · p^ per row = ReduceSum(q^ * p^) over the width.
        var cosine = graph.Node("ReduceSum", [graph.Node("Mul", [queryUnit, passageUnit]), GraphLayers.Shape(graph, "iem.cosine_axes", 1)], OnnxAttribute.Int("keepdims", 0));
        return (AddCosine(graph, weights, logits, cosine), features);
    }

    /// <summary>u_p = W1p p + b1 for passage embeddings float <c>[n, d]</c>; returns <c>[n, H]</c>.</summary>
    public static string AddPassageProjection(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string passage)
    {
        ArgumentNullException.ThrowIfNull(graph);
        PmaGraph.ThrowIfInvalid(config);
        var (pooled, unit) = SplitEmbedding(graph, config, passage);
        var w1 = InputWeight(config, weights);
        var w1p = graph.Initializer("iem.fc1.weight.passage.T", GraphLayers.TransposedColumns(w1.Values, config.IemHidden, 2 * config.Dim, config.Dim, config.Dim), config.Dim, config.IemHidden);
        var b1 = InputBias(config, weights);
        var projection = graph.Node("Add", [graph.Node("MatMul", [pooled, w1p]), graph.Initializer(b1.Name, b1.Values, b1.Shape)]);
        return unit is null ? projection : graph.Node("Concat", [projection, unit], OnnxAttribute.Int("axis", 1));
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
        var (queryPooled, queryUnit) = SplitEmbedding(graph, config, query);
        var passageProjections = projections;
        string? passageUnits = null;
        if (queryUnit is not null)
        {
            var axis = GraphLayers.Shape(graph, "iem.projection_axis", 1);
            var h = (long)config.IemHidden;
            passageProjections = graph.Node("Slice", [projections, GraphLayers.Shape(graph, "iem.projection_start", 0), GraphLayers.Shape(graph, "iem.projection_end", h), axis]);
            passageUnits = graph.Node("Slice", [projections, GraphLayers.Shape(graph, "iem.unit_start", h), GraphLayers.Shape(graph, "iem.unit_end", h + config.Dim), axis]);
        }

        var w1 = InputWeight(config, weights);
        var w1q = graph.Initializer("iem.fc1.weight.query.T", GraphLayers.TransposedColumns(w1.Values, config.IemHidden, 2 * config.Dim, 0, config.Dim), config.Dim, config.IemHidden);
        var queryPart = graph.Node("MatMul", [queryPooled, w1q]); // [1, H], broadcast over the K rows below
        var x = graph.Node("Relu", [graph.Node("Add", [passageProjections, queryPart])]);
        var (logits, features) = AddBranchAndHead(graph, config, weights, x, branch);
        if (queryUnit is null || passageUnits is null)
        {
            return (logits, features);
        }

        // [K, d] x [d, 1] -> [K, 1] -> [K]: every candidate's p^ · q^ in one product.
        var cosine = graph.Node("MatMul", [passageUnits, graph.Node("Transpose", [queryUnit], OnnxAttribute.Ints("perm", 1, 0))]);
        cosine = graph.Node("Reshape", [cosine, GraphLayers.Shape(graph, "iem.cosine_shape", -1)]);
        return (AddCosine(graph, weights, logits, cosine), features);
    }

    /// <summary>
    /// An embedding's two parts: the PMA output [n, d] and, with the cosine term, the normalised pooled state [n, d]
    /// (else null and the embedding is the PMA output itself).
    /// </summary>
    private static (string Pooled, string? Unit) SplitEmbedding(OnnxGraphBuilder graph, StudentHeadsConfig config, string embedding)
    {
        if (config.CosinePooling is null)
        {
            return (embedding, null);
        }

        var axis = GraphLayers.Shape(graph, $"{embedding}.split_axis", 1);
        long d = config.Dim;
        return (
            graph.Node("Slice", [embedding, GraphLayers.Shape(graph, $"{embedding}.pooled_start", 0), GraphLayers.Shape(graph, $"{embedding}.pooled_end", d), axis]),
            graph.Node("Slice", [embedding, GraphLayers.Shape(graph, $"{embedding}.unit_start", d), GraphLayers.Shape(graph, $"{embedding}.unit_end", 2 * d), axis]));
    }

    /// <summary>logits + a * cosine, both [n].</summary>
    private static string AddCosine(OnnxGraphBuilder graph, WeightSet weights, string logits, string cosine)
    {
        var scale = weights.Get(CosineScale, 1);
        return graph.Node("Add", [logits, graph.Node("Mul", [cosine, graph.Initializer(scale.Name, scale.Values, scale.Shape)])]);
    }

    private static (string Logits, string Features) AddBranchAndHead(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string x, string branch)
    {
        long h = config.IemHidden;

        // An If on the branch scalar, each side with its own constant P^T: ONNX Runtime can pre-pack constant weights
        // for its GEMM, which a weight picked at run time (Gather from a stack) would not allow, and no 1 MB copy per
        // call (IemScoringBenchmarks).
        var isAsymmetric = graph.Node("Equal", [branch, graph.Initializer("iem.branch_asym", [1L])]);
        var isAsymmetricScalar = graph.Node("Reshape", [isAsymmetric, GraphLayers.Shape(graph, "iem.scalar_shape")]);
        var sides = new OnnxGraphBuilder[2];
        for (var b = 0; b < 2; b++)
        {
            var side = graph.Subgraph($"iem_branch_{b}");
            var projected = GraphLayers.Linear(side, x, weights.Get(Weight(IemBranch(b)), h, h), weights.Get(Bias(IemBranch(b)), h));
            side.Output(side.NamedNode("Relu", $"iem.branch_{b}.features", [projected]), OnnxElementType.Float, "n", h);
            sides[b] = side;
        }

        var features = graph.Node("If", [isAsymmetricScalar], OnnxAttribute.Graph("then_branch", sides[1]), OnnxAttribute.Graph("else_branch", sides[0]));
        var head = GraphLayers.Linear(graph, features, weights.Get(Weight(IemHead), 1, h), weights.Get(Bias(IemHead), 1)); // [n, 1]
        var logits = graph.Node("Reshape", [head, GraphLayers.Shape(graph, "iem.logits_shape", -1)]);
        return (logits, features);
    }

    private static WeightTensor InputWeight(StudentHeadsConfig config, WeightSet weights) => weights.Get(Weight(IemInput), config.IemHidden, 2L * config.Dim);

    private static WeightTensor InputBias(StudentHeadsConfig config, WeightSet weights) => weights.Get(Bias(IemInput), config.IemHidden);
}
