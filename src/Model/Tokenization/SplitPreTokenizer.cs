using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Rerank.Model.Tokenization;

/// <summary>
/// Hugging Face's <c>Split</c> pre-tokenizer (a regex, a behaviour, <c>invert</c>) with .NET's <see cref="Regex"/>
/// standing in for the Oniguruma regex that tokenizers compiles, matched over code points as Oniguruma matches them.
/// </summary>
/// <remarks>
/// 1. Text with surrogate pairs is matched through a view where each supplementary code point is one BMP
///    character of the same general category (<see cref="StandIn"/>): .NET's regex sees UTF-16 units, so without it
///    <c>\p{L}</c> would not match U+20000 and <c>[^\r\n\p{L}\p{N}]?</c> would take half of an emoji, where
///    Oniguruma takes the whole code point. Offsets are mapped back to the text.
/// 2. The matches and the stretches between them become pieces as tokenizers' <c>NormalizedString::split</c>
///    makes them: <see cref="PreTokenizerSplitBehavior.Isolated"/> keeps both, <see cref="PreTokenizerSplitBehavior.Removed"/>
///    drops the matches; with <c>invert</c> the roles of matches and stretches swap. Empty pieces are dropped.
/// 3. The stand-ins are exact only for patterns that select characters by ASCII literals and general categories,
///    so <see cref="CheckPattern"/> refuses everything else (see there).
/// Thread safety: immutable; <see cref="Regex"/> matching is thread-safe.
/// </remarks>
internal sealed class SplitPreTokenizer : PreTokenizer
{
    private static readonly char[] StandIns = BuildStandIns();

    private readonly Regex _regex;
    private readonly PreTokenizerSplitBehavior _behavior;
    private readonly bool _invert;

    public SplitPreTokenizer(string pattern, PreTokenizerSplitBehavior behavior, bool invert)
    {
        // CultureInvariant: (?i:'s) folds case the same on every host; onig folds with Unicode's CaseFolding.txt.
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _behavior = behavior;
        _invert = invert;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>
    /// Why <paramref name="pattern"/> cannot be applied the way Oniguruma applies it, or null when it can: it must
    /// compile in .NET and use only ASCII characters, literals and escapes below U+0080, general categories
    /// (<c>\p{L}</c>, <c>\p{Lu}</c>, <c>\P{N}</c> ...) and <c>\s \S \d \D</c>; not <c>\w \W \b \B</c> (Oniguruma counts
    /// every mark as a word character, .NET only Mn), blocks (<c>\p{IsGreek}</c>), POSIX classes (<c>[[:alpha:]]</c>) or
    /// the anchors <c>^ $</c> (line anchors in Oniguruma's Ruby syntax, string anchors in .NET).
    /// </summary>
    internal static string? CheckPattern(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] > 0x7F)
            {
                return $"non-ASCII character U+{(int)pattern[i]:X4} at {i}; write patterns with ASCII literals and \\p{{...}} categories";
            }
        }

        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (next is 'w' or 'W' or 'b' or 'B' or 'G' or 'h' or 'H')
                {
                    return $"\\{next} at {i - 1} is not supported (Oniguruma and .NET disagree on it)";
                }

                if (next is 'p' or 'P' && string.CompareOrdinal(pattern, i + 1, "{Is", 0, 3) == 0)
                {
                    return $"the Unicode block \\{next}{{Is...}} at {i - 1} is not supported (general categories are)";
                }

                if (next is 'x' or 'u' && EscapedValue(pattern, i + 1) is > 0x7F)
                {
                    return $"the escape \\{next} at {i - 1} is above U+007F; only ASCII escapes are supported";
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    return $"the POSIX class at {i} is not supported";
                }

                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++; // a leading ']' is a literal
                }
            }
            else if (c is '^' or '$')
            {
                return $"the anchor '{c}' at {i} is not supported (a line anchor in Oniguruma, a string anchor in .NET)";
            }
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $".NET cannot compile it: {ex.Message}";
        }
    }

    private static int? EscapedValue(string pattern, int at)
    {
        var braced = at < pattern.Length && pattern[at] == '{';
        var start = braced ? at + 1 : at;
        var end = start;
        while (end < pattern.Length && Uri.IsHexDigit(pattern[end]) && (braced || end - start < 4))
        {
            end++;
        }

        return end > start && int.TryParse(pattern.AsSpan(start, end - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.IsEmpty)
        {
            return pieces;
        }

        // Step 1.
        var offsets = CodePointView(text, out var standIns);
        var view = standIns is null ? text : standIns.AsSpan(0, offsets!.Length - 1);
        var position = 0;
        void Add(int viewStart, int viewEnd, bool isMatch)
        {
            // Step 2.
            var keep = _behavior == PreTokenizerSplitBehavior.Isolated || isMatch == _invert;
            var start = offsets is null ? viewStart : offsets[viewStart];
            var end = offsets is null ? viewEnd : offsets[viewEnd];
            if (keep && end > start)
            {
                pieces.Add((start, end - start));
            }
        }

        foreach (var match in _regex.EnumerateMatches(view))
        {
            if (match.Index > position)
            {
                Add(position, match.Index, isMatch: false);
            }

            Add(match.Index, match.Index + match.Length, isMatch: true);
            position = match.Index + match.Length;
        }

        if (position < view.Length)
        {
            Add(position, view.Length, isMatch: false);
        }

        return pieces;
    }

    /// <summary>
    /// Null when the text has no surrogate pair; else each code point's offset in the text (and the text's length
    /// last), with <paramref name="view"/> holding one character per code point.
    /// </summary>
    private static int[]? CodePointView(ReadOnlySpan<char> text, out char[]? view)
    {
        view = null;
        var first = -1;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsSurrogatePair(text[i], text[i + 1]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return null;
        }

        view = new char[text.Length];
        var offsets = new int[text.Length + 1];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            offsets[count] = i;
            if (i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                view[count++] = StandIn(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                view[count++] = text[i];
            }
        }

        offsets[count] = text.Length;
        return offsets[..(count + 1)];
    }

    /// <summary>A BMP character of the general category of <paramref name="codePoint"/>, with no ASCII case-equivalent.</summary>
    internal static char StandIn(int codePoint) => StandIns[(int)CharUnicodeInfo.GetUnicodeCategory(codePoint)];

    private static char[] BuildStandIns()
    {
        var standIns = new char[30];
        standIns[(int)UnicodeCategory.UppercaseLetter] = '\u0391'; // Greek capital alpha
        standIns[(int)UnicodeCategory.LowercaseLetter] = '\u03B1';
        standIns[(int)UnicodeCategory.TitlecaseLetter] = '\u01C5';
        standIns[(int)UnicodeCategory.ModifierLetter] = '\u02B0';
        standIns[(int)UnicodeCategory.OtherLetter] = '\u05D0'; // Hebrew alef
        standIns[(int)UnicodeCategory.NonSpacingMark] = '\u0300';
        standIns[(int)UnicodeCategory.SpacingCombiningMark] = '\u0903';
        standIns[(int)UnicodeCategory.EnclosingMark] = '\u0488';
        standIns[(int)UnicodeCategory.DecimalDigitNumber] = '\u0660'; // Arabic-Indic zero
        standIns[(int)UnicodeCategory.LetterNumber] = '\u16EE'; // runic, no case
        standIns[(int)UnicodeCategory.OtherNumber] = '\u00B2';
        standIns[(int)UnicodeCategory.SpaceSeparator] = '\u00A0';
        standIns[(int)UnicodeCategory.LineSeparator] = '\u2028';
        standIns[(int)UnicodeCategory.ParagraphSeparator] = '\u2029';
        standIns[(int)UnicodeCategory.Control] = '\u0080';
        standIns[(int)UnicodeCategory.Format] = '\u00AD';
        standIns[(int)UnicodeCategory.Surrogate] = '\uFFFD'; // no code point has it
        standIns[(int)UnicodeCategory.PrivateUse] = '\uE000';
        standIns[(int)UnicodeCategory.ConnectorPunctuation] = '\u203F';
        standIns[(int)UnicodeCategory.DashPunctuation] = '\u2010';
        standIns[(int)UnicodeCategory.OpenPunctuation] = '\u0F3A';
        standIns[(int)UnicodeCategory.ClosePunctuation] = '\u0F3B';
        standIns[(int)UnicodeCategory.InitialQuotePunctuation] = '\u00AB';
        standIns[(int)UnicodeCategory.FinalQuotePunctuation] = '\u00BB';
        standIns[(int)UnicodeCategory.OtherPunctuation] = '\u00A1';
        standIns[(int)UnicodeCategory.MathSymbol] = '\u00AC';
        standIns[(int)UnicodeCategory.CurrencySymbol] = '\u00A2';
        standIns[(int)UnicodeCategory.ModifierSymbol] = '\u02C2';
        standIns[(int)UnicodeCategory.OtherSymbol] = '\u00A6';
        standIns[(int)UnicodeCategory.OtherNotAssigned] = '\u0378';
        return standIns;
    }
}
