using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Weights;

namespace Rerank.Model.Heads;

/// <summary>A student directory as <see cref="StudentDirectory.Read"/> found it.</summary>
/// <param name="Directory">The full path of the directory.</param>
/// <param name="Config">The heads' sizes.</param>
/// <param name="Weights">Every head parameter, float32, under its <see cref="StudentHeadNames"/> key.</param>
/// <param name="Query">The query limits the student was trained with, or null when the config gives none.</param>
/// <param name="Passage">The passage limits, or null.</param>
internal sealed record StudentFiles(string Directory, StudentHeadsConfig Config, WeightSet Weights, TextLimits? Query, TextLimits? Passage);
