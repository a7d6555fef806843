using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary><c>train</c>'s data, plan and teacher store, read as the <c>plan</c> and <c>teacher</c> stages write them.</summary>
internal sealed class PipelineTrainingInputs : ITrainingInputs
{
    public TrainingCorpus ReadCorpus(string data) =>
        throw new ArgumentException($"--data {data}: the data reader is not wired into the train command on this build.");

    public TrainingPlan ReadPlan(string path) =>
        throw new ArgumentException($"--plan {path}: the plan file reader is not wired into the train command on this build.");

    /// <summary>The merged store <c>teacher</c>, <c>teacher merge</c> or <c>teacher import</c> wrote (<see cref="TeacherStore.OpenMerged"/>).</summary>
    public ITeacherScores OpenTeacher(string teacherDirectory) => TeacherStore.OpenMerged(teacherDirectory);
}
