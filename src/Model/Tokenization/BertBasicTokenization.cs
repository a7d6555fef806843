using System.Globalization;
using System.Text;

namespace Rerank.Model.Tokenization;

/// <summary>
/// BERT's "basic tokenizer" (Hugging Face <c>BasicTokenizer</c>), shared by WordPiece encoding and
/// <see cref="WordPieceVocabularyBuilder"/> so that a built vocabulary sees exactly the words encoding will look up.
/// </summary>
/// <remarks>
/// <see cref="Normalize"/> does, in order:
/// 1. drops U+0000, U+FFFD, unpaired surrogates and control characters (Cc, Cf; tab, CR and LF count as white space);
///    maps every white-space character (Zs, tab, CR, LF) to a plain space;
/// 2. composes to NFC;
/// 3. when lower-casing: lower-cases (invariant), decomposes to NFD and drops non-spacing marks (strips accents, as
///    uncased BERT does);
/// 4. puts a space on each side of every CJK ideograph and every punctuation character (Unicode P* or ASCII
///    symbol), so each becomes a word of its own.
/// Words are then the runs of non-space characters (<see cref="Split"/>).
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
        var normalized = cleaned.ToString().Normalize(NormalizationForm.FormC);

        // Step 3.
        if (lowerCase)
        {
            normalized = normalized.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        }

        // Step 4.
        var result = new StringBuilder(normalized.Length + 8);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (lowerCase && Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (IsCjk(rune.Value) || IsPunctuation(rune))
            {
                result.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                result.Append(rune.ToString());
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

    private static bool IsWhiteSpace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format;
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
