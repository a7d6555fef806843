using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// The JSON header of a teacher store or shard (<c>teacher/scores.json</c>, <c>teacher/shard-I-of-N.json</c>; docs/training.md,
/// "Teacher"): what produced the records, for which plan, and how the records are laid out. A resumed run and a merge
/// compare headers field by field.
/// </summary>
internal sealed record TeacherStoreHeader
{
    public const string FormatName = "rerank-teacher-scores";
    public const int CurrentVersion = 1;

    /// <summary>Where the scores come from: the teacher checkpoint directory, or the imported file (full paths).</summary>
    public required string Teacher { get; init; }

    /// <summary>SHA-256 of the teacher: over <c>sha256  name</c> lines of every file in the checkpoint directory (ordinal order), or of the imported file.</summary>
    public required string TeacherSha256 { get; init; }

    /// <summary><c>checkpoint</c> or <c>import</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The teacher's compute dtype (<c>float32</c>, <c>bfloat16</c>), null for an import.</summary>
    public string? Dtype { get; init; }

    /// <summary><c>sym</c> or <c>asym</c>: the plan's branch.</summary>
    public required string Branch { get; init; }

    /// <summary>The prompt of the branch (template, yes, no) and where it came from (<c>en</c>, <c>zh</c>, a file); null for an import.</summary>
    public JsonObject? Prompt { get; init; }

    /// <summary>The first token ids of the answer words (yes, no); null for an import.</summary>
    public (int Yes, int No)? AnswerIds { get; init; }

    /// <summary>Character and token limits (query_chars, passage_chars, symmetric_chars, max_tokens); null for an import.</summary>
    public JsonObject? Limits { get; init; }

    /// <summary>SHA-256 over the plan's pairs, <c>query id TAB passage id LF</c> in <c>TrainingPlan.Pairs()</c> order, UTF-8.</summary>
    public required string PlanSha256 { get; init; }

    /// <summary>This file's slice (<c>--shard i/n</c>), null for the merged store.</summary>
    public TeacherShard? Shard { get; init; }

    /// <summary>The width of y^T per record, null when the records hold none.</summary>
    public int? FeatureDim { get; init; }

    /// <summary><c>float16</c> (default) or <c>float32</c>; null when there are no features.</summary>
    public string? FeatureDtype { get; init; }

    /// <summary>Records the file holds when complete.</summary>
    public required int Count { get; init; }

    /// <summary>Bytes per feature value.</summary>
    public int FeatureBytes => FeatureDtype == "float32" ? 4 : 2;

    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = CurrentVersion,
        ["kind"] = Kind,
        ["teacher"] = Teacher,
        ["teacher_sha256"] = TeacherSha256,
        ["dtype"] = Dtype,
        ["branch"] = Branch,
        ["prompt"] = Prompt?.DeepClone(),
        ["answer_ids"] = AnswerIds is { } a ? new JsonObject { ["yes"] = a.Yes, ["no"] = a.No } : null,
        ["limits"] = Limits?.DeepClone(),
        ["plan_sha256"] = PlanSha256,
        ["shard"] = Shard is { } s ? new JsonObject { ["index"] = s.Index, ["count"] = s.Count } : null,
        ["feature_dim"] = FeatureDim,
        ["feature_dtype"] = FeatureDtype,
        ["count"] = Count,
    };

    /// <summary>The header's text as written (indented, fixed field order).</summary>
    public string ToText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Writes the header atomically (a temporary file renamed over <paramref name="path"/>).</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToText() + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The top-level fields whose values differ from <paramref name="other"/>'s, in field order.</summary>
    public IReadOnlyList<string> Differences(TeacherStoreHeader other, params string[] ignoring)
    {
        var mine = ToJson();
        var theirs = other.ToJson();
        return [.. mine.Select(p => p.Key).Where(k => !ignoring.Contains(k) && !JsonNode.DeepEquals(mine[k], theirs[k]))];
    }

    /// <exception cref="InvalidDataException">The file is not a teacher store header of this version; the message names the file and field.</exception>
    public static TeacherStoreHeader Read(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }

        InvalidDataException Bad(string field, string what) => new($"{path}: field '{field}' {what}");
        string Text(string field) => json[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad(field, "must be a string");
        string? OptionalText(string field) => json[field] is null ? null : Text(field);
        int Number(JsonNode? node, string field) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : throw Bad(field, "must be an integer");
        JsonObject? Object(string field) => json[field] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw Bad(field, "must be an object or null"),
        };

        if (Text("format") != FormatName)
        {
            throw Bad("format", $"is not '{FormatName}'");
        }

        if (Number(json["version"], "version") != CurrentVersion)
        {
            throw Bad("version", $"is {json["version"]}; this build reads version {CurrentVersion}");
        }

        var answers = Object("answer_ids");
        var shard = Object("shard");
        var header = new TeacherStoreHeader
        {
            Kind = Text("kind"),
            Teacher = Text("teacher"),
            TeacherSha256 = Text("teacher_sha256"),
            Dtype = OptionalText("dtype"),
            Branch = Text("branch"),
            Prompt = Object("prompt")?.DeepClone().AsObject(),
            AnswerIds = answers is null ? null : (Number(answers["yes"], "answer_ids.yes"), Number(answers["no"], "answer_ids.no")),
            Limits = Object("limits")?.DeepClone().AsObject(),
            PlanSha256 = Text("plan_sha256"),
            Shard = shard is null ? null : new TeacherShard(Number(shard["index"], "shard.index"), Number(shard["count"], "shard.count")),
            FeatureDim = json["feature_dim"] is null ? null : Number(json["feature_dim"], "feature_dim"),
            FeatureDtype = OptionalText("feature_dtype"),
            Count = Number(json["count"], "count"),
        };
        if (header.FeatureDim is { } dim && (dim < 1 || header.FeatureDtype is not ("float16" or "float32")))
        {
            throw Bad("feature_dtype", "must be float16 or float32 with a positive feature_dim");
        }

        if (header.Count < 0)
        {
            throw Bad("count", string.Create(CultureInfo.InvariantCulture, $"is negative ({header.Count})"));
        }

        return header;
    }
}
