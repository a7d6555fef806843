namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>
/// Elasticsearch 8/9's default BM25 (k1 1.2, b 0.75), written out from the formula to check engine scores against:
/// idf = ln(1 + (N - n + 0.5) / (n + 0.5)) with N the documents that have the field and n the term's document frequency;
/// avgdl = the field's total term count / N; score = boost * (k1 + 1) * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)).
/// The document length dl is what Lucene 9 keeps in one byte: exact up to 39 tokens, beyond that 24 plus the excess
/// rounded down to its four leading binary digits (45 -> 44, 100 -> 96).
/// </summary>
internal static class Bm25Reference
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    public static double Idf(long docFreq, long docCount) => Math.Log(1 + ((docCount - docFreq + 0.5) / (docFreq + 0.5)));

    public static double Score(double tf, int length, double avgdl, long docFreq, long docCount, double boost = 1) =>
        Idf(docFreq, docCount) * boost * (K1 + 1) * tf / (tf + (K1 * (1 - B + (B * DecodedLength(length) / avgdl))));

    /// <summary>A phrase: the idf is the sum of its terms' idf, tf the phrase frequency.</summary>
    public static double PhraseScore(double phraseFreq, int length, double avgdl, double idfSum) =>
        idfSum * (K1 + 1) * phraseFreq / (phraseFreq + (K1 * (1 - B + (B * DecodedLength(length) / avgdl))));

    /// <summary>
    /// A field without norms or frequencies (keyword): tf 1 and dl read as 1; each document counts once in avgdl, so for
    /// single-valued fields avgdl is 1 and the score is idf * boost.
    /// </summary>
    public static double UnnormedScore(long docFreq, long docCount, double boost = 1, double avgdl = 1) =>
        Idf(docFreq, docCount) * boost * (K1 + 1) / (1 + (K1 * (1 - B + (B / avgdl))));

    /// <summary>The field length as the one-byte norm gives it back.</summary>
    public static double DecodedLength(int length)
    {
        const int exactBelow = 40;
        if (length < exactBelow)
        {
            return length;
        }

        // 24 values are spent on lengths 0-23; the rest of the length keeps its four leading binary digits.
        var excess = length - 24;
        var dropped = 0;
        while ((excess >> dropped) >= 16)
        {
            dropped++;
        }

        return 24 + ((excess >> dropped) << dropped);
    }
}
