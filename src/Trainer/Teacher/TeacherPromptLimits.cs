namespace Rerank.Trainer.Teacher;

/// <summary>
/// How much text goes into a teacher prompt (D2LLM.md section 1, the code's character cuts): characters first, then tokens.
/// </summary>
internal sealed record TeacherPromptLimits
{
    /// <summary>Asymmetric query characters (default 50).</summary>
    public int QueryChars { get; init; } = 50;

    /// <summary>Asymmetric passage characters (default 320).</summary>
    public int PassageChars { get; init; } = 320;

    /// <summary>Characters of each symmetric text (default 100).</summary>
    public int SymmetricChars { get; init; } = 100;

    /// <summary>Most tokens of a whole prompt; null means min(512, <c>max_position_embeddings</c>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Every problem, naming the command-line options.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { ("--query-chars", QueryChars), ("--passage-chars", PassageChars), ("--symmetric-chars", SymmetricChars), ("--max-tokens", MaxTokens ?? 1) })
        {
            if (value < 1)
            {
                problems.Add($"{name} must be at least 1 (got {value})");
            }
        }

        return problems;
    }
}
