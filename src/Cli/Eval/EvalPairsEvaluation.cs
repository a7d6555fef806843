using System.Diagnostics;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Pairs;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>
/// Scores a sentence-pair file with the student and measures it: text1 as the query, text2 as the passage, one
/// factorised score per pair on the chosen branch (docs/training.md, "Pair-set evaluation").
/// </summary>
internal static class EvalPairsEvaluation
{
    public const string NeutralExclude = "exclude";
    public const string NeutralNegative = "negative";

    /// <summary>Texts encoded per call to the model (progress is reported between calls).</summary>
    private const int Chunk = 256;

    /// <remarks>
    /// 1. Read the pairs and check them: a label must be entailment, neutral or contradiction (any case); every line
    ///    must carry the fields the first line carries (label, score or both), so a file is never half measured.
    /// 2. Encode every text1 as a query, every text2 as a passage (embedding and projection u_p, float32).
    /// 3. Score each pair: its query embedding against its own projection, one logit.
    /// 4. Labels: accuracy at the best threshold and AP over the logits; scores: Spearman and Pearson of the logits.
    /// </remarks>
    public static EvalPairsResult Run(StudentModel model, string path, StudentBranch branch, string neutralRule, TextWriter progress, CancellationToken cancellationToken)
    {
        // 1.
        var pairs = new List<SentencePair>();
        var labels = new List<bool?>(); // true entailment, false contradiction, null neutral
        (bool Label, bool Score, int Line)? shape = null;
        foreach (var (line, pair) in SentencePairReader.ReadLines(path, renameRepeatedIds: true))
        {
            shape ??= (pair.Label is not null, pair.Score is not null, line);
            if (shape.Value is { Label: false, Score: false })
            {
                throw new BeirFormatException(path, line, "the pair has neither 'label' nor 'score'; eval pairs needs one of them");
            }

            CheckSameFields(path, line, "label", pair.Label is not null, shape.Value.Label, shape.Value.Line);
            CheckSameFields(path, line, "score", pair.Score is not null, shape.Value.Score, shape.Value.Line);
            if (pair.Label is { } label)
            {
                labels.Add(ParseLabel(path, line, label));
            }

            pairs.Add(pair);
        }

        if (pairs.Count == 0)
        {
            throw new InvalidDataException($"{path}: the file has no pairs");
        }

        // 2.
        var stopwatch = Stopwatch.StartNew();
        var dim = model.Dim;
        var h = model.ProjectionDim;
        var queries = new float[pairs.Count * dim];
        var projections = new float[pairs.Count * h];
        var reporter = new ProgressReporter(progress, "encoding pairs", pairs.Count);
        for (var start = 0; start < pairs.Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = pairs.GetRange(start, Math.Min(Chunk, pairs.Count - start));
            model.EncodeQueries([.. chunk.Select(p => p.Text1)], cancellationToken).CopyTo(queries, start * dim);
            model.EncodePassages([.. chunk.Select(p => p.Text2)], cancellationToken).Projections.CopyTo(projections, start * h);
            reporter.Report(start + chunk.Count);
        }

        var encodeTime = stopwatch.Elapsed;

        // 3.
        stopwatch.Restart();
        var logits = new float[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            model.Score(queries.AsMemory(i * dim, dim), projections.AsMemory(i * h, h), branch, logits.AsMemory(i, 1));
        }

        var scoreTime = stopwatch.Elapsed;

        // 4.
        return new EvalPairsResult
        {
            DataPath = path,
            ModelId = model.ModelId,
            Branch = branch,
            Pairs = pairs.Count,
            Classification = labels.Count > 0 ? Classify(logits, labels, neutralRule) : null,
            Graded = shape!.Value.Score ? Grade(logits, [.. pairs.Select(p => p.Score!.Value)]) : null,
            EncodeTime = encodeTime,
            ScoreTime = scoreTime,
        };
    }

    private static EvalPairsClassification Classify(float[] logits, List<bool?> labels, string neutralRule)
    {
        var scores = new List<double>();
        var positive = new List<bool>();
        var excluded = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] is null && neutralRule == NeutralExclude)
            {
                excluded++;
                continue;
            }

            scores.Add(logits[i]);
            positive.Add(labels[i] == true);
        }

        // With one class (or none) a threshold above or below every score is trivially right and AP ranks nothing
        // against anything: both are undefined (NaN, reported as n/a and null), not 1.
        var positives = positive.Count(p => p);
        var bothClasses = positives > 0 && positives < scores.Count;
        var (accuracy, threshold) = bothClasses ? PairMetrics.BestAccuracy(scores, positive) : (double.NaN, double.NaN);
        var ap = bothClasses ? PairMetrics.AveragePrecision(scores, positive) : double.NaN;
        return new EvalPairsClassification(neutralRule, positives, scores.Count - positives, excluded, accuracy, threshold, ap);
    }

    private static EvalPairsGraded Grade(float[] logits, double[] gold)
    {
        if (gold.Length < 2)
        {
            return new EvalPairsGraded(gold.Length, double.NaN, double.NaN);
        }

        var predicted = logits.Select(l => (double)l).ToArray();
        return new EvalPairsGraded(gold.Length, Correlation.Spearman(predicted, gold), Correlation.Pearson(predicted, gold));
    }

    private static void CheckSameFields(string path, int line, string field, bool present, bool expected, int firstLine)
    {
        if (present != expected)
        {
            throw new BeirFormatException(path, line, present
                ? $"field '{field}' is present but line {firstLine} has none; every pair must have the same fields"
                : $"field '{field}' is missing but line {firstLine} has one; every pair must have the same fields");
        }
    }

    private static bool? ParseLabel(string path, int line, string label) => label.ToLowerInvariant() switch
    {
        "entailment" => true,
        "neutral" => null,
        "contradiction" => false,
        _ => throw new BeirFormatException(path, line, $"field 'label' is '{label}'; expected entailment, neutral or contradiction"),
    };
}
