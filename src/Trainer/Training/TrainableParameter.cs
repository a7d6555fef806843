using TorchSharp.Modules;

namespace Rerank.Trainer.Training;

/// <summary>One parameter the optimizer updates, by its name in the student (<c>pma.fc_q.weight</c>, <c>model.layers.0.self_attn.q_proj.lora_A.weight</c>).</summary>
/// <param name="Name">Its name, the key of its optimizer state in a checkpoint.</param>
/// <param name="Parameter">The tensor.</param>
/// <param name="Decay">Whether weight decay applies (<see cref="AdamWOptimizer.Decays"/>).</param>
internal sealed record TrainableParameter(string Name, Parameter Parameter, bool Decay);
