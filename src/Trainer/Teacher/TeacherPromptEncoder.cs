using Rerank.Model.Runtime;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// Turns (branch, query, passage) into the teacher's input ids, and finds the answer token ids, under the teacher's own
/// tokenizer (docs/training.md, "Teacher").
/// </summary>
/// <remarks>
/// 1. Each text is cut to its character limit (<see cref="TeacherPromptLimits"/>; a surrogate pair is never split).
/// 2. The template's three pieces (instruction, middle, answer cue) and the two texts are tokenised separately, each
///    without special tokens, and their ids concatenated: [BOS] instruction query middle passage cue. BOS comes first only
///    when the tokenizer adds one to a text (the checkpoint's <c>add_bos_token</c> or post-processor: LLaMA yes, Qwen2 no);
///    no EOS is ever added (the next token is the answer). Tokenising pieces apart can differ from tokenising the whole
///    string at the seams (a BPE merge across a seam, SentencePiece's "▁" before each piece), the same way for every pair.
/// 3. If the prompt is longer than the token limit, text tokens are cut from the end, never the instruction, the cue or
///    BOS: the passage first, but not below half the room the texts have, then the query.
/// 4. Answer ids: the first token id of each answer word, tokenised alone without special tokens; refused when yes and
///    no share it, or it is outside the LM head.
/// </remarks>
internal sealed class TeacherPromptEncoder
{
    private readonly HfTokenizer _tokenizer;
    private readonly Dictionary<StudentBranch, Pieces> _pieces = [];

    /// <exception cref="ArgumentException">The limits are invalid, the template alone does not fit the token limit, or an answer pair cannot be told apart; the message names the words and ids.</exception>
    public TeacherPromptEncoder(HfTokenizer tokenizer, TeacherPrompts prompts, TeacherPromptLimits limits, int maxPositionEmbeddings, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(limits);
        var problems = limits.Validate().ToList();
        MaxTokens = limits.MaxTokens ?? Math.Min(512, maxPositionEmbeddings);
        if (MaxTokens > maxPositionEmbeddings)
        {
            problems.Add($"--max-tokens {MaxTokens} exceeds the teacher's max_position_embeddings {maxPositionEmbeddings}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid teacher prompt limits: " + string.Join("; ", problems), nameof(limits));
        }

        _tokenizer = tokenizer;
        Prompts = prompts;
        Limits = limits;
        Bos = tokenizer.Descriptor.AddBos ? tokenizer.Tokenizer.BosId : null;
        foreach (var branch in new[] { StudentBranch.Symmetric, StudentBranch.Asymmetric })
        {
            var prompt = prompts.For(branch);
            var name = branch == StudentBranch.Symmetric ? "symmetric" : "asymmetric";
            var yes = FirstId(prompt.Yes, name, "yes");
            var no = FirstId(prompt.No, name, "no");
            if (yes == no)
            {
                throw new ArgumentException($"The {name} prompt's answer words '{prompt.Yes}' and '{prompt.No}' both start with token id {yes} under the teacher's tokenizer, so the teacher cannot tell them apart; choose words whose first tokens differ (--prompt-file).", nameof(prompts));
            }

            foreach (var (field, id) in new[] { ("yes", yes), ("no", no) })
            {
                if (id >= vocabSize)
                {
                    throw new ArgumentException($"The {name} prompt's {field} word starts with token id {id}, outside the teacher's LM head ({vocabSize} rows).", nameof(prompts));
                }
            }

            var pieces = new Pieces(Body(prompt.Instruction), Body(prompt.Middle), Body(prompt.AnswerCue), yes, no);
            var fixedCount = (Bos is null ? 0 : 1) + pieces.Instruction.Length + pieces.Middle.Length + pieces.Cue.Length;
            if (fixedCount + 2 > MaxTokens)
            {
                throw new ArgumentException($"The {name} prompt's template takes {fixedCount} tokens, which leaves no room for the texts within --max-tokens {MaxTokens}.", nameof(limits));
            }

            _pieces[branch] = pieces;
        }
    }

    public TeacherPrompts Prompts { get; }

    public TeacherPromptLimits Limits { get; }

    /// <summary>The whole prompt's token limit.</summary>
    public int MaxTokens { get; }

    /// <summary>The BOS id put first, or null when the tokenizer adds none.</summary>
    public int? Bos { get; }

    /// <summary>The pad id of the teacher's batches.</summary>
    public int PadId => _tokenizer.PadId;

    /// <summary>The first token ids of the branch's answer words.</summary>
    public (int Yes, int No) AnswerIds(StudentBranch branch) => (_pieces[branch].Yes, _pieces[branch].No);

    /// <summary>The prompt's ids (see the remarks).</summary>
    public int[] Encode(StudentBranch branch, string query, string passage)
    {
        var pieces = _pieces[branch];
        var (queryChars, passageChars) = branch == StudentBranch.Symmetric ? (Limits.SymmetricChars, Limits.SymmetricChars) : (Limits.QueryChars, Limits.PassageChars);

        // Steps 1 and 2.
        var q = _tokenizer.Tokenizer.EncodeWithoutSpecials(query, queryChars);
        var p = _tokenizer.Tokenizer.EncodeWithoutSpecials(passage, passageChars);

        // Step 3.
        var room = MaxTokens - (Bos is null ? 0 : 1) - pieces.Instruction.Length - pieces.Middle.Length - pieces.Cue.Length;
        var (queryKeep, passageKeep) = (q.Length, p.Length);
        if (q.Length + p.Length > room)
        {
            passageKeep = Math.Min(p.Length, Math.Max(room - q.Length, room / 2));
            queryKeep = Math.Min(q.Length, room - passageKeep);
        }

        var ids = new List<int>(MaxTokens);
        if (Bos is { } bos)
        {
            ids.Add(bos);
        }

        ids.AddRange(pieces.Instruction);
        ids.AddRange(q.AsSpan(0, queryKeep));
        ids.AddRange(pieces.Middle);
        ids.AddRange(p.AsSpan(0, passageKeep));
        ids.AddRange(pieces.Cue);
        return [.. ids];
    }

    private int[] Body(string text) => _tokenizer.Tokenizer.EncodeWithoutSpecials(text, 0);

    private int FirstId(string word, string branch, string field)
    {
        var ids = Body(word);
        return ids.Length > 0 ? ids[0] : throw new ArgumentException($"The {branch} prompt's {field} word '{word}' has no tokens under the teacher's tokenizer.", nameof(word));
    }

    private sealed record Pieces(int[] Instruction, int[] Middle, int[] Cue, int Yes, int No);
}
