using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary>The teacher commands' data and plan, read as <c>plan</c> and <c>mine</c> read them.</summary>
internal sealed class PipelineTeacherInputs : ITeacherInputs
{
    public TrainingCorpus ReadCorpus(string data) =>
        throw new ArgumentException($"--data {data}: the data reader is not wired into the teacher commands on this build.");

    public TrainingPlan ReadPlan(string path) =>
        throw new ArgumentException($"--plan {path}: the plan file reader is not wired into the teacher commands on this build.");
}
