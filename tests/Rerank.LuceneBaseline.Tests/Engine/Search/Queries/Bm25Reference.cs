namespace Rerank.LuceneBaseline.Tests.Engine.Search.Queries;

/// <summary>
/// Lucene 4.8's BM25 (k1 1.2, b 0.75), written out from the formula to check scores against:
/// idf = ln(1 + (N - n + 0.5) / (n + 0.5)) with N the index's maxDoc and n the term's document frequency;
/// avgdl = the field's total term count / maxDoc; score = idf * boost * (k1 + 1) * tf / (tf + k1 * (1 - b + b * dl / avgdl)).
/// The document length dl is what Lucene 4.8 stores in one byte: SmallFloat.floatToByte315(1 / sqrt(length)), read
/// back as 1 / f²; lengths 1, 4, 16, 64 survive exactly, others (3 -> 2.56, 5 -> 4.0 ...) do not.
/// </summary>
internal static class Bm25Reference
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    public static double Idf(long docFreq, long maxDoc) => Math.Log(1 + ((maxDoc - docFreq + 0.5) / (docFreq + 0.5)));

    public static double Score(double tf, int length, double avgdl, long docFreq, long maxDoc, double boost = 1) =>
        Idf(docFreq, maxDoc) * boost * (K1 + 1) * tf / (tf + (K1 * (1 - B + (B * DecodedLength(length) / avgdl))));

    /// <summary>A phrase: the idf is the sum of its terms' idf, tf the phrase frequency.</summary>
    public static double PhraseScore(double phraseFreq, int length, double avgdl, double idfSum) =>
        idfSum * (K1 + 1) * phraseFreq / (phraseFreq + (K1 * (1 - B + (B * DecodedLength(length) / avgdl))));

    /// <summary>A field indexed without norms and frequencies (StringField): tf 1 and the length factor k1, so idf * boost.</summary>
    public static double UnnormedScore(long docFreq, long maxDoc, double boost = 1) => Idf(docFreq, maxDoc) * boost * (K1 + 1) / (1 + K1);

    /// <summary>The field length as Lucene 4.8's one-byte norm gives it back.</summary>
    public static double DecodedLength(int length)
    {
        var encoded = FloatToByte315((float)(1 / Math.Sqrt(length)));
        var f = Byte315ToFloat(encoded);
        return 1.0 / (f * f);
    }

    // SmallFloat's 3-bit-mantissa, zero-exponent-point-15 byte format.
    private static byte FloatToByte315(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        var small = bits >> (24 - 3);
        if (small <= (63 - 15) << 3)
        {
            return bits <= 0 ? (byte)0 : (byte)1;
        }

        if (small >= ((63 - 15) << 3) + 0x100)
        {
            return 255;
        }

        return (byte)(small - ((63 - 15) << 3));
    }

    private static float Byte315ToFloat(byte value)
    {
        if (value == 0)
        {
            return 0f;
        }

        var bits = value << (24 - 3);
        bits += (63 - 15) << 24;
        return BitConverter.Int32BitsToSingle(bits);
    }
}
