using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.JavaRules;

namespace Rerank.LuceneBaseline.Scoring;

/// <summary>
/// BM25 as Elasticsearch 8 and 9 score it by default (their <c>LegacyBM25Similarity</c> over Lucene 9/10's
/// <c>BM25Similarity</c>), on Lucene.Net 4.8: the same formula, statistics, length norm and float arithmetic, so the same
/// index content gives the same <c>_score</c> values, not only the same ranking. Immutable; thread-safe.
/// </summary>
/// <remarks>
/// Per term, with <c>N</c> the documents that have the field, <c>n</c> those that have the term, <c>dl</c> the field's
/// length in the document (decoded from its norm) and <c>avgdl</c> the field's total term count over <c>N</c>:
/// <code>
/// score = boost * (k1 + 1) * idf * freq / (freq + k1 * (1 - b + b * dl / avgdl))
/// idf   = ln(1 + (N - n + 0.5) / (n + 0.5))      (a phrase sums the idf of its terms)
/// </code>
/// Where Lucene.Net 4.8's <see cref="BM25Similarity"/> differs, and what this class does instead:
/// <list type="number">
/// <item>It takes <c>N</c> and <c>avgdl</c> over <c>maxDoc</c> (deleted documents and documents without the field
/// included); here over the field's <c>docCount</c>, as Lucene 9.</item>
/// <item>It stores <c>1 / sqrt(length)</c> as an 8-bit float; here the length itself as Lucene 9's one-byte code
/// (<see cref="FieldLengthNorm"/>), exact up to 39 tokens.</item>
/// <item>It computes <c>weight * freq / (freq + norm)</c>; Lucene 9 computes <c>weight - weight / (1 + freq / norm)</c>
/// with <c>1 / norm</c> precomputed in float, which is what is done here, so results agree to the last bit.</item>
/// <item>A field without norms (keyword, boolean, <c>norms: false</c>) scores as length 1, as Lucene 9 reads a missing
/// norm; a field indexed without frequencies counts each document once in <c>avgdl</c>, as Lucene 9 does.</item>
/// </list>
/// <c>k1 + 1</c> stays in the numerator: Elasticsearch keeps it (the "Legacy" in its class name) although Lucene 8 dropped
/// it, so its explanations show a boost of 2.2 on an unboosted query. Index-time boosts do not exist in Elasticsearch
/// and are ignored.
/// </remarks>
public sealed class ElasticsearchBm25Similarity : Similarity
{
    private static readonly float[] LengthTable = CreateLengthTable();

    /// <summary>BM25 with the given parameters.</summary>
    /// <param name="k1">Term-frequency saturation; finite and at least 0. Elasticsearch's default is 1.2.</param>
    /// <param name="b">Length normalisation, 0 to 1. Elasticsearch's default is 0.75.</param>
    /// <param name="discountOverlaps">Whether tokens at the same position as the previous one (synonyms) are left out of
    /// the field length. Elasticsearch's default is true.</param>
    /// <exception cref="ArgumentException">k1 or b out of range, worded as Lucene words it.</exception>
    public ElasticsearchBm25Similarity(float k1 = 1.2f, float b = 0.75f, bool discountOverlaps = true)
    {
        if (ParameterError(k1, b) is { } error)
        {
            throw new ArgumentException(error);
        }

        K1 = k1;
        B = b;
        DiscountOverlaps = discountOverlaps;
    }

    /// <summary>Term-frequency saturation.</summary>
    public float K1 { get; }

    /// <summary>Length normalisation.</summary>
    public float B { get; }

    /// <summary>Whether overlapping tokens are left out of the field length.</summary>
    public bool DiscountOverlaps { get; }

    /// <inheritdoc/>
    public override long ComputeNorm(FieldInvertState state)
    {
        var length = DiscountOverlaps ? state.Length - state.NumOverlap : state.Length;
        return FieldLengthNorm.Encode(length);
    }

    /// <inheritdoc/>
    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats)
    {
        var documents = DocumentsWithField(collectionStats);
        var idf = termStats.Length == 1 ? IdfExplanation(termStats[0], documents) : IdfExplanation(termStats, documents);
        var avgdl = AverageLength(collectionStats, documents);
        var inverseNorms = new float[256];
        for (var i = 0; i < inverseNorms.Length; i++)
        {
            inverseNorms[i] = 1f / (K1 * ((1 - B) + (B * LengthTable[i] / avgdl)));
        }

        return new Bm25Weight(collectionStats.Field, idf, queryBoost, avgdl, inverseNorms);
    }

    /// <inheritdoc/>
    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context)
    {
        var stats = (Bm25Weight)weight;
        return new Bm25Scorer(this, stats, context.AtomicReader.GetNormValues(stats.Field));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ElasticsearchBM25(k1={Format(K1)},b={Format(B)},discount_overlaps={(DiscountOverlaps ? "true" : "false")})";

    /// <summary>What is wrong with k1 or b, worded as Lucene words it; null when both are in range.</summary>
    internal static string? ParameterError(float k1, float b)
    {
        if (!float.IsFinite(k1) || k1 < 0)
        {
            return $"illegal k1 value: {Format(k1)}, must be a non-negative finite value";
        }

        return float.IsNaN(b) || b < 0 || b > 1 ? $"illegal b value: {Format(b)}, must be between 0 and 1" : null;
    }

    /// <summary>Lucene 9's idf of one term: <c>ln(1 + (N - n + 0.5) / (n + 0.5))</c>, computed in double, kept as float.</summary>
    internal static float Idf(long documentFrequency, long documentCount) =>
        (float)Math.Log(1 + ((documentCount - documentFrequency + 0.5D) / (documentFrequency + 0.5D)));

    private static float[] CreateLengthTable()
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = FieldLengthNorm.Decode((byte)i);
        }

        return table;
    }

    /// <summary><c>N</c>: documents with the field; <c>maxDoc</c> only where the codec kept no count (step 1).</summary>
    private static long DocumentsWithField(CollectionStatistics stats) => stats.DocCount > 0 ? stats.DocCount : stats.MaxDoc;

    /// <summary>
    /// <c>avgdl</c> (steps 1 and 4): Lucene 4.8 reports no total term count (-1) for a field indexed without frequencies,
    /// where Lucene 9 reports the document-frequency sum; a field with no documents averages 1.
    /// </summary>
    private static float AverageLength(CollectionStatistics stats, long documents)
    {
        var total = stats.SumTotalTermFreq >= 0 ? stats.SumTotalTermFreq : stats.SumDocFreq;
        return total <= 0 || documents <= 0 ? 1f : (float)(total / (double)documents);
    }

    private static Explanation IdfExplanation(TermStatistics term, long documents)
    {
        var explanation = new Explanation(Idf(term.DocFreq, documents), "idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:");
        explanation.AddDetail(new Explanation(term.DocFreq, "n, number of documents containing term"));
        explanation.AddDetail(new Explanation(documents, "N, total number of documents with field"));
        return explanation;
    }

    private static Explanation IdfExplanation(TermStatistics[] terms, long documents)
    {
        // Summed in double, then kept as float, as Lucene 9 sums a phrase's idf.
        var sum = 0d;
        var explanation = new Explanation { Description = "idf, sum of:" };
        foreach (var term in terms)
        {
            var one = IdfExplanation(term, documents);
            explanation.AddDetail(one);
            sum += one.Value;
        }

        explanation.Value = (float)sum;
        return explanation;
    }

    /// <summary>Numbers as Lucene and Elasticsearch print them (Java's <c>Float.toString</c>: "1.0", "Infinity").</summary>
    private static string Format(float value) => JavaNumberText.Float(value);

    /// <summary>Query-side statistics of one term or phrase on one field.</summary>
    private sealed class Bm25Weight(string field, Explanation idf, float queryBoost, float averageLength, float[] inverseNorms) : SimWeight
    {
        public string Field { get; } = field;

        public Explanation Idf { get; } = idf;

        public float AverageLength { get; } = averageLength;

        /// <summary><c>1 / (k1 * (1 - b + b * dl / avgdl))</c> for each norm byte.</summary>
        public float[] InverseNorms { get; } = inverseNorms;

        /// <summary>The query's own boost.</summary>
        public float QueryBoost { get; } = queryBoost;

        /// <summary>The query's own boost times the boosts of the queries around it.</summary>
        public float Boost { get; private set; } = queryBoost;

        public override float GetValueForNormalization()
        {
            // Queries are not normalised (Elasticsearch has no query norm since 7.0); this value only feeds Lucene 4.8's
            // queryNorm, which Normalize ignores.
            var queryWeight = Idf.Value * QueryBoost;
            return queryWeight * queryWeight;
        }

        public override void Normalize(float queryNorm, float topLevelBoost) => Boost = QueryBoost * topLevelBoost;
    }

    private sealed class Bm25Scorer : SimScorer
    {
        private readonly ElasticsearchBm25Similarity _similarity;
        private readonly Bm25Weight _stats;
        private readonly NumericDocValues? _norms;
        private readonly float[] _inverseNorms;

        /// <summary><c>boost * (k1 + 1) * idf</c>, multiplied in Elasticsearch's order.</summary>
        private readonly float _weight;

        public Bm25Scorer(ElasticsearchBm25Similarity similarity, Bm25Weight stats, NumericDocValues? norms)
        {
            _similarity = similarity;
            _stats = stats;
            _norms = norms;
            _inverseNorms = stats.InverseNorms;
            _weight = ScaledBoost * stats.Idf.Value;
        }

        private float ScaledBoost => _stats.Boost * (1 + _similarity.K1);

        public override float Score(int doc, float freq)
        {
            var inverseNorm = _inverseNorms[NormCode(doc)];
            return _weight - (_weight / (1f + (freq * inverseNorm)));
        }

        public override float ComputeSlopFactor(int distance) => 1.0f / (distance + 1);

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) => 1;

        public override Explanation Explain(int doc, Explanation freq)
        {
            var k1 = _similarity.K1;
            var b = _similarity.B;
            var code = NormCode(doc);
            var length = LengthTable[code];
            var frequency = freq.Description.StartsWith("termFreq=", StringComparison.Ordinal)
                ? new Explanation(freq.Value, "freq, occurrences of term within document")
                : freq;
            var norm = k1 * ((1 - b) + (b * length / _stats.AverageLength));
            var tf = new Explanation(
                (float)(frequency.Value / (frequency.Value + (double)norm)),
                "tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:");
            tf.AddDetail(frequency);
            tf.AddDetail(new Explanation(k1, "k1, term saturation parameter"));
            tf.AddDetail(new Explanation(b, "b, length normalization parameter"));
            tf.AddDetail(new Explanation(length, code > FieldLengthNorm.LargestExactCode ? "dl, length of field (approximate)" : "dl, length of field"));
            tf.AddDetail(new Explanation(_stats.AverageLength, "avgdl, average length of field"));

            var result = new Explanation(Score(doc, freq.Value), $"score(freq={Format(freq.Value)}), computed as boost * idf * tf from:");
            if (ScaledBoost != 1f)
            {
                result.AddDetail(new Explanation(ScaledBoost, "boost"));
            }

            result.AddDetail(_stats.Idf);
            result.AddDetail(tf);
            return result;
        }

        /// <summary>The norm byte of a document; 1 (length 1) where the field has no norms, as Lucene 9 reads it (step 4).</summary>
        private int NormCode(int doc) => _norms is null ? 1 : (int)(_norms.Get(doc) & 0xFF);
    }
}
