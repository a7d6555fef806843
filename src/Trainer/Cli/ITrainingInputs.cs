using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary>
/// How <c>rerank-train train</c> reads the data, the plan and the teacher store: a seam, so the command does not depend on
/// how the other stages store their files (<see cref="PipelineTrainingInputs"/> is the pipeline's own reader; tests pass
/// in-memory ones).
/// </summary>
internal interface ITrainingInputs
{
    /// <summary>The data the shared data options (<c>--data</c>, splits, held-out slice) name; what was read goes to <paramref name="output"/>.</summary>
    TrainingCorpus ReadCorpus(TrainingDataSettings settings, TextWriter output);

    /// <summary>The plan <c>plan</c> wrote for <paramref name="corpus"/>.</summary>
    TrainingPlan ReadPlan(string path, TrainingCorpus corpus);

    /// <summary>The merged teacher store in <paramref name="teacherDirectory"/>; the caller disposes it when it is disposable.</summary>
    ITeacherScores OpenTeacher(string teacherDirectory);
}
