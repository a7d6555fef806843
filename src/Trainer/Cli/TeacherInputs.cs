using System.CommandLine;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary>
/// How the teacher commands read the data and the plan: <see cref="PipelineTeacherInputs"/> reads them as <c>plan</c>
/// wrote them (<see cref="DataOptions"/>, <see cref="PlanFile"/>); tests give them in memory.
/// </summary>
internal interface ITeacherInputs
{
    /// <summary>The data of the <see cref="DataOptions"/> (a BEIR folder or sentence pairs), described on <paramref name="output"/>.</summary>
    TrainingCorpus ReadCorpus(DataOptions data, ParseResult parse, TextWriter output);

    /// <summary>The plan <c>plan</c> wrote for <paramref name="corpus"/>.</summary>
    TrainingPlan ReadPlan(string path, TrainingCorpus corpus);
}
