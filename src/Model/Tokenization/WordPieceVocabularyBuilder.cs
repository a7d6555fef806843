using System.Text;

namespace Rerank.Model.Tokenization;

/// <summary>
/// Builds a small, deterministic WordPiece vocabulary from texts, so that tiny test models
/// (<c>rerank model init --vocab-from corpus.jsonl</c>) tokenize real words instead of <c>[UNK]</c>.
/// </summary>
/// <remarks>
/// The vocabulary is, in id order:
/// 1. the specials <c>[PAD]</c>, <c>[UNK]</c>, <c>[CLS]</c>, <c>[SEP]</c>, <c>[MASK]</c> (ids 0 to 4);
/// 2. every character (Unicode scalar) seen in the words, in ordinal order, each followed by its <c>##</c>
///    continuation form, so any word made of seen characters encodes without <c>[UNK]</c>;
/// 3. whole words of two or more characters, most frequent first, ties in ordinal order, until the requested size.
/// Words are those that <see cref="TextTokenizer"/> looks up: BERT's basic tokenization, with the same lower-casing.
/// It is not a trained WordPiece vocabulary (no sub-word merges); it only has to be stable and reasonable.
/// </remarks>
internal static class WordPieceVocabularyBuilder
{
    /// <summary>The special tokens at the head of every built vocabulary, in id order.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Builds the vocabulary (see the remarks for its order).</summary>
    /// <param name="texts">The corpus texts; read once.</param>
    /// <param name="vocabularySize">Most tokens to return; fewer when the corpus has fewer distinct words.</param>
    /// <param name="lowerCase">Lower-case and strip accents, as the tokenizer will with <see cref="TokenizerDescriptor.LowerCase"/>. Default true.</param>
    /// <exception cref="ArgumentException"><paramref name="vocabularySize"/> cannot hold the specials and every character's two forms.</exception>
    public static IReadOnlyList<string> Build(IEnumerable<string> texts, int vocabularySize, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var characters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var word in BertBasicTokenization.Words(text, lowerCase))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                foreach (var rune in word.EnumerateRunes())
                {
                    characters.Add(rune.ToString());
                }
            }
        }

        // Step 1 and 2.
        var needed = SpecialTokens.Count + (2 * characters.Count);
        if (vocabularySize < needed)
        {
            throw new ArgumentException(
                $"A vocabulary of {vocabularySize} tokens cannot hold the {SpecialTokens.Count} special tokens and the {characters.Count} characters " +
                $"of the corpus with their ## forms; at least {needed} are needed.", nameof(vocabularySize));
        }

        var vocabulary = new List<string>(SpecialTokens);
        foreach (var character in characters)
        {
            vocabulary.Add(character);
            vocabulary.Add("##" + character);
        }

        // Step 3. Single-character words are already in; a word spelled like a special (say "[PAD]") cannot occur,
        // since basic tokenization splits off the brackets.
        var words = counts
            .Where(pair => pair.Key.EnumerateRunes().Skip(1).Any())
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Key)
            .Take(vocabularySize - vocabulary.Count);
        vocabulary.AddRange(words);
        return vocabulary;
    }

    /// <summary>Writes <paramref name="vocabulary"/> as a vocab.txt: one token per line, each ended by "\n", UTF-8 without BOM.</summary>
    /// <exception cref="ArgumentException">A token is empty, contains a line break, or appears twice.</exception>
    public static void Write(IReadOnlyList<string> vocabulary, string path)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builder = new StringBuilder();
        for (var i = 0; i < vocabulary.Count; i++)
        {
            var token = vocabulary[i];
            if (string.IsNullOrEmpty(token) || token.AsSpan().ContainsAny('\n', '\r'))
            {
                throw new ArgumentException($"Token {i} is empty or contains a line break; vocab.txt holds one token per line.", nameof(vocabulary));
            }

            if (!seen.Add(token))
            {
                throw new ArgumentException($"Token '{token}' appears twice; vocab.txt ids are line numbers and must be unique.", nameof(vocabulary));
            }

            builder.Append(token).Append('\n');
        }

        File.WriteAllText(path, builder.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
