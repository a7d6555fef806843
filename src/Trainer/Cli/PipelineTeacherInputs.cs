using System.CommandLine;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary>The teacher commands' data and plan, read as <c>plan</c> reads and writes them.</summary>
internal sealed class PipelineTeacherInputs : ITeacherInputs
{
    public TrainingCorpus ReadCorpus(DataOptions data, ParseResult parse, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Read(parse, output);
    }

    public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => PlanFile.Read(path, corpus);
}
