using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Weights;
using static Rerank.Model.Graphs.StudentGraphNames;

namespace Rerank.Model.Graphs;

/// <summary>The three graphs of a model bundle, with the I/O names of <see cref="StudentGraphNames"/>.</summary>
internal static class StudentGraphs
{
    private const string Producer = "rerank";

    /// <summary>
    /// The encoder: backbone (LoRA already merged into <paramref name="backboneWeights"/>; a decoder or, when
    /// <see cref="BackboneConfig.IsEncoder"/>, BERT) then PMA:
    /// <c>input_ids [batch, seq], attention_mask [batch, seq] -> embedding [batch, d]</c>; with the cosine term
    /// (<see cref="StudentHeadsConfig.CosinePooling"/>) <c>[batch, 2d]</c>: PMA's output, then the pooled, L2-normalised
    /// last hidden state.
    /// </summary>
    public static ModelProto BuildEncoder(BackboneConfig backbone, WeightSet backboneWeights, StudentHeadsConfig heads, WeightSet headWeights)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Dim != backbone.HiddenSize)
        {
            throw new ArgumentException($"PMA width {heads.Dim} differs from the backbone's hidden size {backbone.HiddenSize}.", nameof(heads));
        }

        var graph = new OnnxGraphBuilder("encoder");
        var ids = graph.Input(InputIds, OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input(AttentionMask, OnnxElementType.Int64, "batch", "seq");
        var hidden = AddBackbone(graph, backbone, backboneWeights, ids, mask);
        var pooled = PmaGraph.Add(graph, heads, headWeights, hidden, mask);
        if (heads.CosinePooling is { } cosinePooling)
        {
            // The cosine term's half: the backbone's own pooled, normalised state beside PMA's output (IemGraph remarks).
            var unit = PoolingGraph.AddL2Normalize(graph, PoolingGraph.AddPooling(graph, hidden, mask, cosinePooling));
            pooled = graph.Node("Concat", [pooled, unit], OnnxAttribute.Int("axis", 1));
        }

        graph.Output(graph.NamedNode("Identity", Embedding, [pooled]), OnnxElementType.Float, "batch", heads.EmbeddingDim);
        return graph.Build(Producer);
    }

    /// <summary>
    /// A plain bi-encoder over the backbone: pooled (<paramref name="pooling"/>) and L2-normalised last hidden states,
    /// <c>input_ids [batch, seq], attention_mask [batch, seq] -> embedding [batch, hidden]</c> (unit rows), the same
    /// I/O as <see cref="BuildEncoder"/> so the runtime's text encoder runs either. Not part of a bundle: the cosine
    /// baseline and the student's cosine term use it.
    /// </summary>
    public static ModelProto BuildBiEncoder(BackboneConfig backbone, WeightSet backboneWeights, EmbeddingPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var graph = new OnnxGraphBuilder("bi_encoder");
        var ids = graph.Input(InputIds, OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input(AttentionMask, OnnxElementType.Int64, "batch", "seq");
        var hidden = AddBackbone(graph, backbone, backboneWeights, ids, mask);
        var normalized = PoolingGraph.AddL2Normalize(graph, PoolingGraph.AddPooling(graph, hidden, mask, pooling));
        graph.Output(graph.NamedNode("Identity", Embedding, [normalized]), OnnxElementType.Float, "batch", backbone.HiddenSize);
        return graph.Build(Producer);
    }

    /// <summary>
    /// The backbone alone (LoRA already merged): <c>input_ids [batch, seq], attention_mask [batch, seq] ->
    /// last_hidden_state [batch, seq, hidden]</c>. Not part of a bundle: a frozen student's training caches these states
    /// once, from the same graph the bundle's encoder runs.
    /// </summary>
    public static ModelProto BuildBackbone(BackboneConfig backbone, WeightSet backboneWeights)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var graph = new OnnxGraphBuilder("backbone");
        var ids = graph.Input(InputIds, OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input(AttentionMask, OnnxElementType.Int64, "batch", "seq");
        graph.Output(AddBackbone(graph, backbone, backboneWeights, ids, mask), OnnxElementType.Float, "batch", "seq", backbone.HiddenSize);
        return graph.Build(Producer);
    }

    /// <summary>Passage embeddings to projections: <c>embedding [n, d] -> projection [n, H]</c>.</summary>
    public static ModelProto BuildPassageProjection(StudentHeadsConfig heads, WeightSet weights)
    {
        var graph = new OnnxGraphBuilder("passage_projection");
        var projection = IemGraph.AddPassageProjection(graph, heads, weights, graph.Input(Embedding, OnnxElementType.Float, "batch", heads.EmbeddingDim));
        graph.Output(graph.NamedNode("Identity", Projection, [projection]), OnnxElementType.Float, "batch", heads.ProjectionDim);
        return graph.Build(Producer);
    }

    /// <summary>
    /// The factorised scorer: <c>query_embedding [1, d], passage_projections [K, H], branch [] -> logits [K], features [K, H]</c>.
    /// </summary>
    public static ModelProto BuildScorer(StudentHeadsConfig heads, WeightSet weights)
    {
        var graph = new OnnxGraphBuilder("scorer");
        var (logits, features) = IemGraph.AddFactorisedScorer(
            graph,
            heads,
            weights,
            graph.Input(QueryEmbedding, OnnxElementType.Float, 1, heads.EmbeddingDim),
            graph.Input(PassageProjections, OnnxElementType.Float, "candidates", heads.ProjectionDim),
            graph.Input(Branch, OnnxElementType.Int64));
        graph.Output(graph.NamedNode("Identity", Logits, [logits]), OnnxElementType.Float, "candidates");
        graph.Output(graph.NamedNode("Identity", Features, [features]), OnnxElementType.Float, "candidates", heads.IemHidden);
        return graph.Build(Producer);
    }

    /// <summary>
    /// The IEM as the paper writes it, over row-aligned pairs: <c>query_embedding [n, d], embedding [n, d], branch [] -> logits [n], features [n, H]</c>.
    /// Not part of a bundle; the benchmarks and tests compare the factorised scorer with it.
    /// </summary>
    public static ModelProto BuildInteraction(StudentHeadsConfig heads, WeightSet weights)
    {
        var graph = new OnnxGraphBuilder("interaction");
        var (logits, features) = IemGraph.AddInteraction(
            graph,
            heads,
            weights,
            graph.Input(QueryEmbedding, OnnxElementType.Float, "pairs", heads.EmbeddingDim),
            graph.Input(Embedding, OnnxElementType.Float, "pairs", heads.EmbeddingDim),
            graph.Input(Branch, OnnxElementType.Int64));
        graph.Output(graph.NamedNode("Identity", Logits, [logits]), OnnxElementType.Float, "pairs");
        graph.Output(graph.NamedNode("Identity", Features, [features]), OnnxElementType.Float, "pairs", heads.IemHidden);
        return graph.Build(Producer);
    }

    /// <summary>The backbone's last hidden states [batch, seq, hidden]: <see cref="BertGraph"/> for an encoder, else <see cref="DecoderGraph"/>.</summary>
    private static string AddBackbone(OnnxGraphBuilder graph, BackboneConfig backbone, WeightSet weights, string ids, string mask) =>
        backbone.IsEncoder
            ? BertGraph.AddBackbone(graph, backbone, weights, ids, mask)
            : DecoderGraph.AddBackbone(graph, backbone, weights, ids, mask);
}
