namespace Rerank.Trainer.Tests.Training;

/// <summary>
/// Training runs draw LoRA dropout from libtorch's global generator, which every test in the process shares: tests that
/// compare runs bit for bit run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(TorchGlobalRandomCollection), DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection;
