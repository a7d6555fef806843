namespace Rerank.Trainer.Teacher;

/// <summary>
/// One branch's teacher prompt: a template laid out as [instruction]{query}[middle]{passage}[answer cue] (D2LLM.md section 1)
/// and the two answer words whose first tokens the teacher's last position is read at.
/// </summary>
/// <param name="Template">The prompt with exactly one <c>{query}</c> and, after it, exactly one <c>{passage}</c>; fed raw (no chat template).</param>
/// <param name="Yes">The answer word meaning "relevant" / "same meaning".</param>
/// <param name="No">The answer word meaning the opposite.</param>
internal sealed record TeacherPromptTemplate(string Template, string Yes, string No)
{
    public const string QueryPlaceholder = "{query}";
    public const string PassagePlaceholder = "{passage}";

    /// <summary>The text before <c>{query}</c>.</summary>
    public string Instruction => Template[..Template.IndexOf(QueryPlaceholder, StringComparison.Ordinal)];

    /// <summary>The text between <c>{query}</c> and <c>{passage}</c>.</summary>
    public string Middle
    {
        get
        {
            var start = Template.IndexOf(QueryPlaceholder, StringComparison.Ordinal) + QueryPlaceholder.Length;
            return Template[start..Template.IndexOf(PassagePlaceholder, StringComparison.Ordinal)];
        }
    }

    /// <summary>The text after <c>{passage}</c>: the answer cue the score is read at.</summary>
    public string AnswerCue => Template[(Template.IndexOf(PassagePlaceholder, StringComparison.Ordinal) + PassagePlaceholder.Length)..];

    /// <summary>The prompt with both texts in place (for display and tests; scoring tokenises the pieces separately).</summary>
    public string Fill(string query, string passage) => Instruction + query + Middle + passage + AnswerCue;

    /// <summary>Every problem with the template and words, each naming <paramref name="where"/>.</summary>
    public IReadOnlyList<string> Validate(string where)
    {
        var problems = new List<string>();
        var queries = Count(Template, QueryPlaceholder);
        var passages = Count(Template, PassagePlaceholder);
        if (queries != 1 || passages != 1)
        {
            problems.Add($"{where}.template must hold {QueryPlaceholder} and {PassagePlaceholder} exactly once each (it holds {queries} and {passages})");
        }
        else if (Template.IndexOf(QueryPlaceholder, StringComparison.Ordinal) > Template.IndexOf(PassagePlaceholder, StringComparison.Ordinal))
        {
            problems.Add($"{where}.template must put {QueryPlaceholder} before {PassagePlaceholder} (layout [instruction][query][passage][answer cue])");
        }

        foreach (var (field, word) in new[] { ("yes", Yes), ("no", No) })
        {
            if (string.IsNullOrWhiteSpace(word))
            {
                problems.Add($"{where}.{field} must be a non-empty answer word");
            }
        }

        if (problems.Count == 0 && string.Equals(Yes, No, StringComparison.Ordinal))
        {
            problems.Add($"{where}: yes and no are the same word '{Yes}'");
        }

        return problems;
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
