using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Runtime;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// The teacher's two prompts (D2LLM.md section 1): symmetric (NLI/STS: do the texts say the same thing) and asymmetric
/// (retrieval: can the passage answer the query). Shipped in English (answer words yes/no) and Chinese (是/不是 symmetric,
/// 能/不能 asymmetric), written for this project, or read from a JSON file (docs/training.md, "Teacher").
/// </summary>
/// <param name="Name">Where they came from: <c>en</c>, <c>zh</c> or the file's full path.</param>
/// <param name="Symmetric">The NLI/STS prompt.</param>
/// <param name="Asymmetric">The retrieval prompt.</param>
internal sealed record TeacherPrompts(string Name, TeacherPromptTemplate Symmetric, TeacherPromptTemplate Asymmetric)
{
    /// <summary>English; each cue ends with a line break, so the answer word starts a line (no leading space).</summary>
    public static TeacherPrompts English { get; } = new(
        "en",
        new TeacherPromptTemplate(
            "Read the two sentences below and decide whether they express the same meaning.\nFirst sentence: {query}\nSecond sentence: {passage}\nDo they mean the same thing? Reply with yes or no.\n",
            "yes",
            "no"),
        new TeacherPromptTemplate(
            "Read the question and the passage below and decide whether the passage answers the question.\nQuestion: {query}\nPassage: {passage}\nDoes the passage answer the question? Reply with yes or no.\n",
            "yes",
            "no"));

    /// <summary>Chinese; the cue ends with a full-width colon, the answer word follows it directly.</summary>
    public static TeacherPrompts Chinese { get; } = new(
        "zh",
        new TeacherPromptTemplate(
            "阅读下面两句话，判断它们表达的意思是否相同。\n第一句：{query}\n第二句：{passage}\n两句话意思相同吗？请回答是或不是：",
            "是",
            "不是"),
        new TeacherPromptTemplate(
            "阅读下面的问题和文段，判断这段文字能否回答这个问题。\n问题：{query}\n文段：{passage}\n这段文字能回答这个问题吗？请回答能或不能：",
            "能",
            "不能"));

    /// <summary>The prompt of <paramref name="branch"/>'s batches.</summary>
    public TeacherPromptTemplate For(StudentBranch branch) => branch == StudentBranch.Symmetric ? Symmetric : Asymmetric;

    /// <summary>The shipped prompts by language: <c>en</c> or <c>zh</c>.</summary>
    /// <exception cref="ArgumentException">Another language.</exception>
    public static TeacherPrompts ForLanguage(string language) => language switch
    {
        "en" => English,
        "zh" => Chinese,
        _ => throw new ArgumentException($"--prompt-language: '{language}' is not a shipped prompt language (en or zh).", nameof(language)),
    };

    /// <summary>
    /// Reads <c>{"symmetric": {"template", "yes", "no"}, "asymmetric": {...}}</c> (both branches, every field a string).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not that shape; the message names the file and every field at fault.</exception>
    public static TeacherPrompts Load(string path)
    {
        path = Path.GetFullPath(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject top)
        {
            throw new InvalidDataException($"{path}: must be a JSON object with \"symmetric\" and \"asymmetric\"");
        }

        var problems = new List<string>();
        foreach (var name in top.Select(p => p.Key).Where(k => k is not ("symmetric" or "asymmetric")))
        {
            problems.Add($"unknown field '{name}'");
        }

        TeacherPromptTemplate? Read(string branch)
        {
            if (top[branch] is not JsonObject node)
            {
                problems.Add($"'{branch}' must be an object with template, yes and no");
                return null;
            }

            foreach (var name in node.Select(p => p.Key).Where(k => k is not ("template" or "yes" or "no")))
            {
                problems.Add($"unknown field '{branch}.{name}'");
            }

            string? Field(string field)
            {
                if (node[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    return value.GetValue<string>();
                }

                problems.Add($"'{branch}.{field}' must be a string");
                return null;
            }

            var (template, yes, no) = (Field("template"), Field("yes"), Field("no"));
            if (template is null || yes is null || no is null)
            {
                return null;
            }

            var prompt = new TeacherPromptTemplate(template, yes, no);
            problems.AddRange(prompt.Validate(branch));
            return prompt;
        }

        var symmetric = Read("symmetric");
        var asymmetric = Read("asymmetric");
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: " + string.Join("; ", problems));
        }

        return new TeacherPrompts(path, symmetric!, asymmetric!);
    }
}
