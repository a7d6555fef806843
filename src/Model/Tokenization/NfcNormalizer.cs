using System.Text;
using Microsoft.ML.Tokenizers;

namespace Rerank.Model.Tokenization;

/// <summary>
/// Unicode Normalization Form C, as Hugging Face's <c>NFC</c> normalizer applies it (Qwen2), from
/// <see cref="UnicodeCompositionTable"/> rather than <see cref="string.Normalize()"/>, which does nothing for
/// non-ASCII text under InvariantGlobalization.
/// </summary>
/// <remarks>
/// UAX #15 / The Unicode Standard section 3.11, in the order <see cref="Compose"/> follows:
/// 1. text with no code point at or above U+0300 is returned as it is (already NFC);
/// 2. canonical decomposition, recursively, Hangul syllables by arithmetic;
/// 3. canonical ordering: each run of non-starters is sorted by combining class, stably;
/// 4. canonical composition: each character joins the last starter when that pair has a primary composite
///    and no character between them blocks it (a starter, or one of the same or a higher class).
/// Unpaired surrogates are kept as they are. Thread safety: stateless.
/// </remarks>
internal sealed class NfcNormalizer : Normalizer
{
    public static NfcNormalizer Instance { get; } = new();

    public override string Normalize(string original) => Compose(original.AsSpan(), original);

    public override string Normalize(ReadOnlySpan<char> original) => Compose(original, null);

    internal static string Compose(ReadOnlySpan<char> text, string? original)
    {
        // Step 1.
        var first = 0;
        while (first < text.Length && text[first] < UnicodeCompositionTable.FirstAffected)
        {
            first++;
        }

        if (first == text.Length)
        {
            return original ?? text.ToString();
        }

        // Step 2, from the start of the character before the first one that may change (it may compose with it).
        var start = Math.Max(0, first - 1);
        var points = new List<int>(text.Length - start + 8);
        for (var i = start; i < text.Length;)
        {
            var at = text[i..];
            if (Rune.DecodeFromUtf16(at, out var rune, out var used) == System.Buffers.OperationStatus.Done)
            {
                UnicodeCompositionTable.Decompose(rune.Value, points);
            }
            else
            {
                points.Add(at[0]); // an unpaired surrogate, kept
                used = 1;
            }

            i += used;
        }

        // Step 3: insertion sort of each run of non-starters by class; stable, and runs are short.
        for (var i = 1; i < points.Count; i++)
        {
            var current = points[i];
            var currentClass = UnicodeCompositionTable.CombiningClass(current);
            if (currentClass == 0)
            {
                continue;
            }

            var j = i - 1;
            while (j >= 0 && UnicodeCompositionTable.CombiningClass(points[j]) is var c && c > currentClass)
            {
                points[j + 1] = points[j];
                j--;
            }

            points[j + 1] = current;
        }

        // Step 4, after Mark Davis's reference composer (unicode.org/reports/tr15, the sample code).
        var starterAt = 0;
        var starter = points[0];
        var lastClass = UnicodeCompositionTable.CombiningClass(starter);
        if (lastClass != 0)
        {
            lastClass = 256; // a leading non-starter composes with nothing
        }

        var kept = 1;
        for (var i = 1; i < points.Count; i++)
        {
            var point = points[i];
            var pointClass = UnicodeCompositionTable.CombiningClass(point);
            var composite = UnicodeCompositionTable.Compose(starter, point);
            if (composite >= 0 && (lastClass < pointClass || lastClass == 0))
            {
                points[starterAt] = composite;
                starter = composite;
                continue;
            }

            if (pointClass == 0)
            {
                starterAt = kept;
                starter = point;
            }

            lastClass = pointClass;
            points[kept++] = point;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text[..start]);
        for (var i = 0; i < kept; i++)
        {
            if (points[i] is >= 0xD800 and <= 0xDFFF)
            {
                builder.Append((char)points[i]);
            }
            else
            {
                builder.Append(new Rune(points[i]));
            }
        }

        return builder.ToString();
    }
}
