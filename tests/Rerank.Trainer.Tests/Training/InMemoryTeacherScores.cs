using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Training;

/// <summary>An <see cref="ITeacherScores"/> over a dictionary, for tests.</summary>
internal sealed class InMemoryTeacherScores(IReadOnlyDictionary<(string, string), TeacherOutput> outputs, int? featureDim) : ITeacherScores
{
    public int Count => outputs.Count;

    public int? FeatureDim => featureDim;

    public bool TryGet(string queryId, string passageId, out TeacherOutput output) => outputs.TryGetValue((queryId, passageId), out output);
}
