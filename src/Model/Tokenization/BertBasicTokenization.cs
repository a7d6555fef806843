using System.Globalization;
using System.Text;

namespace Rerank.Model.Tokenization;

/// <summary>
/// BERT's "basic tokenizer" (Hugging Face <c>BasicTokenizer</c>), shared by WordPiece encoding and
/// <see cref="WordPieceVocabularyBuilder"/> so that a built vocabulary sees exactly the words encoding will look up.
/// </summary>
/// <remarks>
/// <see cref="Normalize"/> does, in order:
/// 1. drops U+0000, U+FFFD, unpaired surrogates and control characters (every "C" category: Cc, Cf, Cn, Co, Cs;
///    tab, CR and LF count as white space);
///    maps every white-space character (Zs, tab, CR, LF) to a plain space;
/// 2. when lower-casing: lower-cases (invariant) and strips accents: drops non-spacing marks and replaces each
///    precomposed character by its NFD base (<see cref="BertAccentTable"/>), as uncased BERT does;
/// 3. puts a space on each side of every CJK ideograph and every punctuation character (Unicode P* or ASCII
///    symbol), so each becomes a word of its own.
/// Words are then the runs of non-space characters (<see cref="Split"/>).
/// PORT NOTE: Hugging Face also composes the text to NFC first. Under InvariantGlobalization
/// <see cref="string.Normalize()"/> does nothing to non-ASCII text, and doing it only where ICU is loaded would make
/// ids depend on the host, so no NFC step is taken: a cased vocabulary sees decomposed input as it comes.
/// </remarks>
internal static class BertBasicTokenization
{
    public static string Normalize(ReadOnlySpan<char> text, bool lowerCase)
    {
        // Step 1. EnumerateRunes yields U+FFFD for an unpaired surrogate, so those are dropped here too.
        var cleaned = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }

            cleaned.Append(IsWhiteSpace(rune) ? " " : rune.ToString());
        }

        // Step 2.
        var lowered = lowerCase ? cleaned.ToString().ToLowerInvariant() : cleaned.ToString();

        // Step 2 (accents) and step 3.
        var result = new StringBuilder(lowered.Length + 8);
        foreach (var rune in lowered.EnumerateRunes())
        {
            if (!lowerCase)
            {
                AppendWordCharacter(result, rune);
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                if (BertAccentTable.Strip(rune.Value) is { } stripped)
                {
                    foreach (var baseRune in stripped.EnumerateRunes())
                    {
                        AppendWordCharacter(result, baseRune);
                    }
                }
                else
                {
                    AppendWordCharacter(result, rune);
                }
            }
        }

        return result.ToString();
    }

    /// <summary>The (offset, length) of each run of non-space characters in normalized text.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> normalized)
    {
        var words = new List<(int Offset, int Length)>();
        var start = -1;
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] == ' ')
            {
                if (start >= 0)
                {
                    words.Add((start, i - start));
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            words.Add((start, normalized.Length - start));
        }

        return words;
    }

    /// <summary>The words of <paramref name="text"/> after <see cref="Normalize"/>.</summary>
    public static IEnumerable<string> Words(string text, bool lowerCase)
    {
        var normalized = Normalize(text, lowerCase);
        foreach (var (offset, length) in Split(normalized))
        {
            yield return normalized.Substring(offset, length);
        }
    }

    private static void AppendWordCharacter(StringBuilder builder, Rune rune)
    {
        if (IsCjk(rune.Value) || IsPunctuation(rune))
        {
            builder.Append(' ').Append(rune.ToString()).Append(' ');
        }
        else
        {
            builder.Append(rune.ToString());
        }
    }

    private static bool IsWhiteSpace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        // BERT's _is_control: every "C" category (Cc, Cf, Cn unassigned, Co private use, Cs).
        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;
    }

    private static bool IsPunctuation(Rune rune)
    {
        // BERT counts every non-alphanumeric ASCII character as punctuation ("$", "+", "^", "`" are symbols in Unicode).
        var cp = rune.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
