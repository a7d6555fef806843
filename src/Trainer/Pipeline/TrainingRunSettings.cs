using Rerank.Trainer.Mining;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Student;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Pipeline;

/// <summary>Every stage's settings for <see cref="TrainingRun"/>, as each stage's own command would take them.</summary>
internal sealed record TrainingRunSettings
{
    public required MiningSettings Mining { get; init; }

    public required PlanSettings Plan { get; init; }

    public required TeacherRunSettings Teacher { get; init; }

    public required StudentSource Student { get; init; }

    public required TrainingOptions Training { get; init; }
}
