using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary>
/// How the teacher commands read the data and the plan: a seam, so the commands do not depend on how <c>plan</c> stores
/// its file. <see cref="PipelineTeacherInputs"/> is the pipeline's own reader.
/// </summary>
internal interface ITeacherInputs
{
    /// <summary>The data of <c>--data</c> (a BEIR folder or a pair file).</summary>
    TrainingCorpus ReadCorpus(string data);

    /// <summary>The plan <c>plan</c> wrote.</summary>
    TrainingPlan ReadPlan(string path);
}
