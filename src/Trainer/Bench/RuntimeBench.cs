using System.Diagnostics;
using System.Globalization;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;
using Rerank.Model.Runtime;

namespace Rerank.Trainer.Bench;

/// <summary>
/// The paper's runtime comparison (Figure 2): per query, the teacher cross-encoding the BM25 window, the student scoring
/// it from passage projections computed beforehand, and a plain bi-encoder (the same bundle's embeddings, cosine)
/// over the same candidates (docs/training.md, "Runtime").
/// </summary>
internal static class RuntimeBench
{
    /// <remarks>
    /// 1. Windows: BM25 (src/LuceneBaseline, title and text, k1 1.2, b 0.75) top <paramref name="window"/> for each of
    ///    the first <paramref name="queryCount"/> queries of the split; queries without a hit are left out.
    /// 2. Passages of every window (title and text joined by a space), encoded once by the bundle, not timed: the
    ///    student keeps each projection u_p, the bi-encoder each pooled embedding divided by its norm. Each query's
    ///    candidates are then laid out contiguously (projections, embeddings) so that scoring reads them in place.
    /// 3. Warm-up, not timed: every system scores the first query's window once (JIT, ONNX Runtime and libtorch set-up).
    /// 4. Per query, in turn: teacher (prompts built, tokenized and run, inside the call); student (query encode, then
    ///    the factorised scorer on the asymmetric branch over the window's projections); bi-encoder (query encode, norm,
    ///    a dot product per candidate). Each is timed with a <see cref="Stopwatch"/> around exactly that work.
    /// </remarks>
    public static RuntimeReport Run(
        BeirDataset dataset, string indexDirectory, IWindowScorer teacher, StudentModel student, int window, int queryCount, TextWriter output, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;

        // 1.
        List<(BeirQuery Query, string[] Candidates)> windows;
        using (var index = Bm25Index.OpenOrBuild(indexDirectory, dataset.CorpusPath, dataset.ReadCorpus(), new Bm25IndexOptions()))
        {
            windows = [.. dataset.Queries.Take(queryCount)
                .Select(q => (q, index.Search(q.Text, window).Select(d => d.DocumentId).ToArray()))
                .Where(w => w.Item2.Length > 0)];
        }

        if (windows.Count == 0)
        {
            throw new InvalidDataException($"{dataset.QueriesPath}: none of the first {queryCount} queries of split '{dataset.Split}' has a BM25 hit in {dataset.CorpusPath}");
        }

        // 2.
        var needed = windows.SelectMany(w => w.Candidates).ToHashSet(StringComparer.Ordinal);
        var ids = new List<string>(needed.Count);
        var texts = new List<string>(needed.Count);
        foreach (var document in dataset.ReadCorpus())
        {
            if (needed.Remove(document.Id))
            {
                ids.Add(document.Id);
                texts.Add(string.Join(" ", new[] { document.Title, document.Text }.Where(t => t.Length > 0)));
            }
        }

        output.WriteLine(string.Create(inv, $"{windows.Count} queries, windows of up to {window} BM25 candidates; encoding {ids.Count:N0} passages (not timed)"));
        var clock = Stopwatch.StartNew();
        var encoded = student.EncodePassages(texts, cancellationToken);
        var encodeTime = clock.Elapsed;
        var row = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var (dim, h) = (student.Dim, student.ProjectionDim);
        var projections = new float[windows.Count][];
        var embeddings = new float[windows.Count][];
        for (var q = 0; q < windows.Count; q++)
        {
            var candidates = windows[q].Candidates;
            projections[q] = new float[candidates.Length * h];
            embeddings[q] = new float[candidates.Length * dim];
            for (var i = 0; i < candidates.Length; i++)
            {
                encoded.Projection(row[candidates[i]]).Span.CopyTo(projections[q].AsSpan(i * h, h));
                var embedding = embeddings[q].AsSpan(i * dim, dim);
                encoded.Embedding(row[candidates[i]]).Span.CopyTo(embedding);
                var norm = MathF.Sqrt(Dot(embedding, embedding));
                for (var k = 0; k < dim && norm > 0; k++)
                {
                    embedding[k] /= norm;
                }
            }
        }

        // 3.
        var passagesById = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => texts[p.i], StringComparer.Ordinal);
        string[] WindowTexts(int q) => [.. windows[q].Candidates.Select(id => passagesById[id])];
        var windowTexts = Enumerable.Range(0, windows.Count).Select(WindowTexts).ToArray();
        var studentLogits = new float[window];
        var cosines = new float[window];
        teacher.Score(windows[0].Query.Text, windowTexts[0]);
        ScoreStudent(student, windows[0].Query.Text, projections[0], studentLogits.AsMemory(0, windows[0].Candidates.Length), cancellationToken);
        ScoreBiEncoder(student, windows[0].Query.Text, embeddings[0], cosines.AsSpan(0, windows[0].Candidates.Length), cancellationToken);

        // 4.
        var teacherMs = new List<double>(windows.Count);
        var studentMs = new List<double>(windows.Count);
        var biMs = new List<double>(windows.Count);
        var nextTenth = 1;
        for (var q = 0; q < windows.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (query, candidates) = windows[q];
            var k = candidates.Length;

            clock.Restart();
            teacher.Score(query.Text, windowTexts[q]);
            teacherMs.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            ScoreStudent(student, query.Text, projections[q], studentLogits.AsMemory(0, k), cancellationToken);
            studentMs.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            ScoreBiEncoder(student, query.Text, embeddings[q], cosines.AsSpan(0, k), cancellationToken);
            biMs.Add(clock.Elapsed.TotalMilliseconds);

            if (q + 1 >= windows.Count * nextTenth / 10)
            {
                while (nextTenth <= 10 && q + 1 >= windows.Count * nextTenth / 10)
                {
                    nextTenth++;
                }

                output.WriteLine(string.Create(inv, $"timed {q + 1}/{windows.Count} queries ({100.0 * (q + 1) / windows.Count:F0}%): mean so far teacher {teacherMs.Average():F2} ms, student {studentMs.Average():F3} ms, bi-encoder {biMs.Average():F3} ms"));
            }
        }

        return new RuntimeReport
        {
            Dataset = dataset.Name,
            Split = dataset.Split,
            Window = window,
            Queries = windows.Count,
            MeanCandidates = windows.Average(w => w.Candidates.Length),
            Teacher = teacher.Description,
            Student = student.ModelId,
            Device = student.Provider.ToString(),
            TeacherTimes = RuntimeStats.Of(teacherMs),
            StudentTimes = RuntimeStats.Of(studentMs),
            BiEncoderTimes = RuntimeStats.Of(biMs),
            PassagesEncoded = ids.Count,
            PassageEncodeTime = encodeTime,
        };
    }

    private static void ScoreStudent(StudentModel student, string query, float[] projections, Memory<float> logits, CancellationToken cancellationToken)
    {
        var embedding = student.EncodeQueries([query], cancellationToken);
        student.Score(embedding, projections, StudentBranch.Asymmetric, logits);
    }

    private static void ScoreBiEncoder(StudentModel student, string query, float[] normalisedEmbeddings, Span<float> cosines, CancellationToken cancellationToken)
    {
        var embedding = student.EncodeQueries([query], cancellationToken);
        var norm = MathF.Sqrt(Dot(embedding, embedding));
        var dim = embedding.Length;
        for (var i = 0; i < cosines.Length; i++)
        {
            var dot = Dot(embedding, normalisedEmbeddings.AsSpan(i * dim, dim));
            cosines[i] = norm > 0 ? dot / norm : 0;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
