namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>What <see cref="FusionTeacher.Run"/> chose and wrote.</summary>
internal sealed record FusionResult(
    FusionChoice Chosen,
    IReadOnlyList<FusionChoice> Ranked,
    double Bm25OrderNdcg,
    int FitQueries,
    int HeldOutQueries,
    int Pairs,
    string ScoresPath);
