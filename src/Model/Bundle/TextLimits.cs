using Rerank.Model.Tokenization;

namespace Rerank.Model.Bundle;

/// <summary>How much of a text the encoder reads: first at most <see cref="MaxChars"/> characters, then at most <see cref="MaxTokens"/> tokens.</summary>
public sealed record TextLimits
{
    /// <summary>Tokens per text after tokenization (D2LLM's student: 250).</summary>
    public required int MaxTokens { get; init; }

    /// <summary>Characters kept before tokenizing (0 = no cut): bounds tokenizer work on very long documents.</summary>
    public int MaxChars { get; init; }

    /// <summary>
    /// Text put before every text of this kind, after the character cut and before tokenizing (arctic-embed's query
    /// prefix "Represent this sentence for searching relevant passages: "), or null. Needs format version 2.
    /// </summary>
    public string? Prefix { get; init; }

    /// <summary>
    /// The text the tokenizer reads (with no further character cut): <paramref name="text"/> cut to
    /// <see cref="MaxChars"/> (one fewer when the cut would split a surrogate pair), then <see cref="Prefix"/> put
    /// before it. <see cref="MaxTokens"/> then applies to prefix and text together.
    /// </summary>
    internal string Prepare(string? text)
    {
        var cut = TextTokenizer.CutToChars(text.AsSpan(), MaxChars);
        return Prefix is null
            ? cut.Length == (text?.Length ?? 0) ? text ?? "" : cut.ToString()
            : string.Concat(Prefix.AsSpan(), cut);
    }
}
