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
}
