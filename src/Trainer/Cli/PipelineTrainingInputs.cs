using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary><c>train</c>'s data, plan and teacher store, read as the <c>plan</c> and <c>teacher</c> stages write them.</summary>
internal sealed class PipelineTrainingInputs : ITrainingInputs
{
    public TrainingCorpus ReadCorpus(string data) =>
        throw new ArgumentException($"--data {data}: the data reader is not wired into the train command on this build.");

    /// <summary><see cref="PlanFile.Read"/>: refuses a plan made for other data, naming the file and field.</summary>
    public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => PlanFile.Read(path, corpus);

    /// <summary>The merged store <c>teacher</c>, <c>teacher merge</c> or <c>teacher import</c> wrote (<see cref="TeacherStore.OpenMerged"/>).</summary>
    public ITeacherScores OpenTeacher(string teacherDirectory) => TeacherStore.OpenMerged(teacherDirectory);
}
