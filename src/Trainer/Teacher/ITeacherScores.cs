namespace Rerank.Trainer.Teacher;

/// <summary>Teacher outputs looked up by (query id, passage id): a merged teacher store, or an in-memory set in tests.</summary>
internal interface ITeacherScores
{
    /// <summary>Pairs held.</summary>
    int Count { get; }

    /// <summary>The width of every feature vector y^T, or null when the store holds no features (FI must then be off).</summary>
    int? FeatureDim { get; }

    /// <summary>The output for the pair, false when the store does not hold it.</summary>
    bool TryGet(string queryId, string passageId, out TeacherOutput output);

    /// <summary>Where the scores come from, for a trained student's provenance (the checkpoint or imported file with its hash).</summary>
    string Describe() => $"{Count} teacher scores held in memory";
}
