using Rerank.LuceneBaseline.Evaluation;

namespace Rerank.Trainer.Training;

/// <summary>The held-out metrics from student and teacher logits, per query in candidate order (positive first).</summary>
internal static class HeldOutEvaluation
{
    /// <param name="step">The step measured.</param>
    /// <param name="student">Per query, z^S of its candidates: the positive first, then its hard negatives.</param>
    /// <param name="teacher">Per query, the teacher's logits of the same candidates.</param>
    public static HeldOutMetrics Compute(long step, IReadOnlyList<IReadOnlyList<double>> student, IReadOnlyList<IReadOnlyList<double>> teacher)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        if (student.Count != teacher.Count)
        {
            throw new ArgumentException($"{student.Count} student queries but {teacher.Count} teacher queries.", nameof(teacher));
        }

        var pooledStudent = new List<double>();
        var pooledTeacher = new List<double>();
        double perQuery = 0, reciprocalRanks = 0;
        var withSpread = 0;
        for (var q = 0; q < student.Count; q++)
        {
            var (s, t) = (student[q], teacher[q]);
            if (s.Count != t.Count || s.Count < 2)
            {
                throw new ArgumentException($"query {q}: {s.Count} student and {t.Count} teacher candidates (need the same count, at least 2).", nameof(student));
            }

            pooledStudent.AddRange(s);
            pooledTeacher.AddRange(t);
            var rho = Correlation.Spearman(s, t);
            if (!double.IsNaN(rho))
            {
                perQuery += rho;
                withSpread++;
            }

            var rank = 1;
            for (var c = 1; c < s.Count; c++)
            {
                if (s[c] >= s[0])
                {
                    rank++;
                }
            }

            reciprocalRanks += 1.0 / rank;
        }

        var pooled = pooledStudent.Count >= 2 ? Correlation.Spearman(pooledStudent, pooledTeacher) : double.NaN;
        return new HeldOutMetrics(
            step,
            pooled,
            withSpread == 0 ? double.NaN : perQuery / withSpread,
            student.Count == 0 ? double.NaN : reciprocalRanks / student.Count,
            pooledStudent.Count,
            student.Count);
    }
}
