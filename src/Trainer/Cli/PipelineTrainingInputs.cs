using System.Globalization;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary><c>train</c>'s data, plan and teacher store, read as the <c>plan</c> and <c>teacher</c> stages write them.</summary>
internal sealed class PipelineTrainingInputs : ITrainingInputs
{
    /// <summary><see cref="TrainingDataLoader.Load"/>, with the line <c>mine</c> and <c>plan</c> print about it.</summary>
    public TrainingCorpus ReadCorpus(TrainingDataSettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var corpus = TrainingDataLoader.Load(settings);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {corpus.Name} ({corpus.Branch.ToString().ToLowerInvariant()}): {corpus.Train.Count:N0} training queries, {corpus.HeldOut.Count:N0} held out ({corpus.HeldOutDescription}), {corpus.Passages.Count:N0} passages"));
        return corpus;
    }

    /// <summary><see cref="PlanFile.Read"/>: refuses a plan made for other data, naming the file and field.</summary>
    public TrainingPlan ReadPlan(string path, TrainingCorpus corpus) => PlanFile.Read(path, corpus);

    /// <summary>The merged store <c>teacher</c>, <c>teacher merge</c> or <c>teacher import</c> wrote (<see cref="TeacherStore.OpenMerged"/>).</summary>
    public ITeacherScores OpenTeacher(string teacherDirectory) => TeacherStore.OpenMerged(teacherDirectory);
}
