using Rerank.Model.Architecture;
using Rerank.Model.Weights;

namespace Rerank.Model.Pretrained;

/// <summary>
/// What <see cref="BertOnnxImport"/> recovers from an export: the shape, and every parameter of
/// <see cref="BertWeights.ParameterShapes"/> under its transformers name, Linear weights <c>[out, in]</c>, in that order.
/// </summary>
internal sealed record ImportedBert(BackboneConfig Config, WeightSet Weights);
