using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Exact k-nearest-neighbour search over a dense_vector field's binary doc values (<c>{path}#dv</c>: float32,
/// little-endian): every live document that has a vector (and matches the filters) is scored once with the field's
/// similarity, transformed into a score as Elasticsearch does, and the best k are kept.
/// </summary>
internal static class KnnSearcher
{
    // Elasticsearch's tolerance for "unit length" when dot_product is used (DenseVectorFieldMapper.EPS).
    private const float UnitLengthTolerance = 1e-3f;

    /// <summary>Checks the clause against the target's mapping and returns the field's similarity.</summary>
    /// <exception cref="EngineException">Elasticsearch's <c>query_shard_exception</c> ("failed to create query: ...").</exception>
    public static VectorSimilarity Validate(KnnClause clause, SearchTarget target)
    {
        var field = target.Mapping.Find(clause.Field);
        string? problem = null;
        if (field is null)
        {
            problem = $"field [{clause.Field}] does not exist in the mapping";
        }
        else if (field.Type != FieldType.DenseVector)
        {
            problem = "[knn] queries are only supported on [dense_vector] fields";
        }
        else if (!field.Index)
        {
            problem = $"to perform knn search on field [{clause.Field}], its mapping must have [index] set to [true]";
        }
        else if (field.Dims is { } dims && dims != clause.QueryVector.Length)
        {
            problem = $"the query vector has a different dimension [{clause.QueryVector.Length}] than the index vectors [{dims}]";
        }

        var similarity = field?.Similarity ?? VectorSimilarity.Cosine;
        if (problem is null && similarity is VectorSimilarity.Cosine or VectorSimilarity.DotProduct)
        {
            var squared = Dot(clause.QueryVector, clause.QueryVector);
            if (similarity == VectorSimilarity.DotProduct && Math.Abs(squared - 1f) > UnitLengthTolerance)
            {
                problem = "The [dot_product] similarity can only be used with unit-length vectors." + Preview(clause.QueryVector);
            }
            else if (similarity == VectorSimilarity.Cosine && MathF.Sqrt(squared) == 0f)
            {
                problem = "The [cosine] similarity does not support vectors with zero magnitude." + Preview(clause.QueryVector);
            }
        }

        if (problem is not null)
        {
            throw SearchErrors.FailedToCreateQuery(target.IndexName, EngineException.IllegalArgument(problem));
        }

        return similarity;
    }

    /// <summary>The best <see cref="KnnClause.K"/> documents of the target (reader-global numbers), best first.</summary>
    /// <param name="clause">The knn search.</param>
    /// <param name="target">The index.</param>
    /// <param name="searcher">The searcher to run the filter with.</param>
    /// <param name="filter">The conjunction of the clause's filters, or null.</param>
    /// <param name="similarity">The field's similarity (from <see cref="Validate"/>).</param>
    /// <param name="cancellationToken">Checked every few thousand documents.</param>
    public static (int Doc, float Score)[] Search(
        KnnClause clause, SearchTarget target, IndexSearcher searcher, Query? filter, VectorSimilarity similarity, CancellationToken cancellationToken)
    {
        var query = clause.QueryVector;
        var queryNorm = MathF.Sqrt(Dot(query, query));
        var minScore = clause.Similarity is { } threshold ? ToScore(similarity, threshold) : float.NegativeInfinity;
        var heap = new ScoreDocHeap(clause.K);
        var weight = filter is null ? null : searcher.CreateNormalizedWeight(filter);
        var field = LuceneFieldNames.DocValues(clause.Field);
        var scratch = new BytesRef();
        var littleEndian = BitConverter.IsLittleEndian;
        var decoded = littleEndian ? null : new float[query.Length];
        var visited = 0;
        foreach (var context in target.Searcher.IndexReader.Leaves)
        {
            var reader = context.AtomicReader;
            var vectors = reader.GetBinaryDocValues(field);
            if (vectors is null)
            {
                continue;
            }

            var live = reader.LiveDocs;
            DocIdSetIterator? iterator = weight?.GetScorer(context, live);
            if (weight is not null && iterator is null)
            {
                continue;
            }

            var maxDoc = reader.MaxDoc;
            var doc = iterator?.NextDoc() ?? 0;
            while (doc != DocIdSetIterator.NO_MORE_DOCS && doc < maxDoc)
            {
                if ((++visited & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (iterator is not null || live is null || live.Get(doc))
                {
                    vectors.Get(doc, scratch);
                    if (scratch.Length == query.Length * sizeof(float))
                    {
                        ReadOnlySpan<float> vector;
                        var bytes = scratch.Bytes.AsSpan(scratch.Offset, scratch.Length);
                        if (littleEndian)
                        {
                            vector = MemoryMarshal.Cast<byte, float>(bytes);
                        }
                        else
                        {
                            for (var i = 0; i < decoded!.Length; i++)
                            {
                                decoded[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                            }

                            vector = decoded;
                        }

                        var score = Score(similarity, query, queryNorm, vector);
                        if (score >= minScore)
                        {
                            heap.Offer(context.DocBase + doc, score);
                        }
                    }
                }

                doc = iterator?.NextDoc() ?? doc + 1;
            }
        }

        return heap.ToSortedArray();
    }

    /// <summary>Elasticsearch's (Lucene's) score for a raw similarity: what <c>similarity</c> thresholds are compared as.</summary>
    public static float ToScore(VectorSimilarity similarity, float raw) => similarity switch
    {
        VectorSimilarity.Cosine or VectorSimilarity.DotProduct => Math.Max((1f + raw) / 2f, 0f),
        VectorSimilarity.L2Norm => 1f / (1f + (raw * raw)),
        _ => raw < 0 ? 1f / (1f - raw) : raw + 1f,
    };

    private static float Score(VectorSimilarity similarity, ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> vector)
    {
        switch (similarity)
        {
            case VectorSimilarity.Cosine:
                var (dot, norm) = DotAndSquaredNorm(query, vector);
                var cosine = norm == 0f ? 0f : (float)(dot / ((double)queryNorm * Math.Sqrt(norm)));
                return Math.Max((1f + cosine) / 2f, 0f);
            case VectorSimilarity.DotProduct:
                return Math.Max((1f + Dot(query, vector)) / 2f, 0f);
            case VectorSimilarity.L2Norm:
                return 1f / (1f + SquaredDistance(query, vector));
            default:
                var ip = Dot(query, vector);
                return ip < 0 ? 1f / (1f - ip) : ip + 1f;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        for (; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        var result = Vector.Sum(sum);
        for (i *= Vector<float>.Count; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    private static (float Dot, float Norm) DotAndSquaredNorm(ReadOnlySpan<float> query, ReadOnlySpan<float> vector)
    {
        var dot = Vector<float>.Zero;
        var norm = Vector<float>.Zero;
        var i = 0;
        var vq = MemoryMarshal.Cast<float, Vector<float>>(query);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(vector[..query.Length]);
        for (; i < vq.Length; i++)
        {
            dot += vq[i] * vv[i];
            norm += vv[i] * vv[i];
        }

        var d = Vector.Sum(dot);
        var n = Vector.Sum(norm);
        for (i *= Vector<float>.Count; i < query.Length; i++)
        {
            d += query[i] * vector[i];
            n += vector[i] * vector[i];
        }

        return (d, n);
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        for (; i < va.Length; i++)
        {
            var d = va[i] - vb[i];
            sum += d * d;
        }

        var result = Vector.Sum(sum);
        for (i *= Vector<float>.Count; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            result += d * d;
        }

        return result;
    }

    /// <summary>Elasticsearch's " Preview of invalid vector: [...]" (the first 10 values as Java prints floats).</summary>
    private static string Preview(float[] vector)
    {
        var text = new StringBuilder(" Preview of invalid vector: [");
        var count = Math.Min(vector.Length, 10);
        for (var i = 0; i < count; i++)
        {
            text.Append(i > 0 ? ", " : string.Empty).Append(JavaFloat(vector[i]));
        }

        return text.Append(vector.Length > count ? ", ...]" : "]").ToString();
    }

    private static string JavaFloat(float value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || !float.IsFinite(value) ? text : text + ".0";
    }
}
