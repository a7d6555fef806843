namespace Rerank.Trainer.Bench;

/// <summary>What <c>bench runtime</c> measured (docs/training.md, "Runtime").</summary>
internal sealed record RuntimeReport
{
    public required string Dataset { get; init; }

    public required string Split { get; init; }

    public required int Window { get; init; }

    /// <summary>Queries timed (those with at least one BM25 hit among the first <c>--queries</c>).</summary>
    public required int Queries { get; init; }

    /// <summary>Mean candidates per timed query (a window can be shorter than <see cref="Window"/>).</summary>
    public required double MeanCandidates { get; init; }

    public required string Teacher { get; init; }

    public required string Student { get; init; }

    public required string Device { get; init; }

    public required RuntimeStats TeacherTimes { get; init; }

    public required RuntimeStats StudentTimes { get; init; }

    public required RuntimeStats BiEncoderTimes { get; init; }

    /// <summary>Passages encoded before timing (student projections and bi-encoder embeddings, one encode each).</summary>
    public required int PassagesEncoded { get; init; }

    public required TimeSpan PassageEncodeTime { get; init; }

    public double TeacherOverStudentP50 => TeacherTimes.P50Ms / StudentTimes.P50Ms;

    public double TeacherOverStudentMean => TeacherTimes.MeanMs / StudentTimes.MeanMs;

    public double StudentOverBiEncoderP50 => StudentTimes.P50Ms / BiEncoderTimes.P50Ms;

    public double StudentOverBiEncoderMean => StudentTimes.MeanMs / BiEncoderTimes.MeanMs;
}
