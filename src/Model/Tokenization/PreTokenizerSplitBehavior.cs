using System.Text.Json.Serialization;

namespace Rerank.Model.Tokenization;

/// <summary>
/// What a split pre-tokenizer does with the pattern's matches: Hugging Face's <c>Split</c> pre-tokenizer
/// <c>behavior</c> (<c>SplitDelimiterBehavior</c>), for the values the serving tokenizer reproduces.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreTokenizerSplitBehavior>))]
public enum PreTokenizerSplitBehavior
{
    /// <summary>Every match and every stretch between matches is a piece of its own (<c>"Isolated"</c>; GPT-2, Qwen2, LLaMA 3).</summary>
    Isolated = 0,

    /// <summary>The matches are dropped; the stretches between them are the pieces (<c>"Removed"</c>).</summary>
    Removed = 1,
}
