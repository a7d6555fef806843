namespace Rerank.IngestPipeline.Contracts;

/// <summary>The names of <see cref="ScoreMode"/> in <c>_meta.rerank.score_mode</c> and on the command line.</summary>
public static class ScoreModeNames
{
    public const string Model = "model";
    public const string Linear = "linear";
    public const string Rrf = "rrf";

    public static IReadOnlyList<string> All { get; } = [Model, Linear, Rrf];

    public static string ToName(ScoreMode mode) => mode switch
    {
        ScoreMode.Model => Model,
        ScoreMode.Linear => Linear,
        ScoreMode.Rrf => Rrf,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool TryParse(string? name, out ScoreMode mode)
    {
        switch (name)
        {
            case Model:
                mode = ScoreMode.Model;
                return true;
            case Linear:
                mode = ScoreMode.Linear;
                return true;
            case Rrf:
                mode = ScoreMode.Rrf;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
