using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Model.Runtime;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// <c>teacher import</c>: scores computed elsewhere (a separately served LLM, an ensemble, a hosted cross-encoder) into the
/// merged store, so the later stages cannot tell them from <c>teacher</c>'s (docs/training.md, "Teacher").
/// </summary>
/// <remarks>
/// Formats, by extension:
/// - <c>.jsonl</c>: one object a line, <c>{"query_id": "...", "passage_id": "...", "logit": x}</c> or
///   <c>"yes_probability": p</c> instead of <c>logit</c> (exactly one of them), and optionally <c>"features": [...]</c>
///   (y^T; then on every line, all of one length). Blank lines are skipped; other fields are refused.
/// - <c>.tsv</c>: a header line <c>query-id TAB passage-id TAB logit</c> (or <c>yes_probability</c> as the third column),
///   then one pair a line; no features.
/// A probability p (0 &lt;= p &lt;= 1) is stored as its logit ln(p / (1 - p)) after clamping p to [1e-6, 1 - 1e-6], so
/// imported logits from probabilities lie within +-13.8155; a logit must be finite and is stored as given (float32).
/// Every error names the file, the line and the field. A key given twice is refused; plan pairs missing from the file
/// are refused (a few listed); pairs not in the plan are ignored and counted. Without features the store's
/// <c>feature_dim</c> is null, and training switches FI off with a warning.
/// </remarks>
internal static class TeacherImport
{
    public const double MinProbability = 1e-6;
    private const int Listed = 5;
    private const int ChunkRecords = 1024;

    /// <returns>The merged store's header path, the pairs imported, and the file's pairs that are not in the plan (ignored).</returns>
    /// <exception cref="InvalidDataException">The file is malformed, or lacks plan pairs; the message names the file, line and field, or the pairs.</exception>
    public static (string HeaderPath, int Imported, int Ignored) Import(string file, string teacherDirectory, TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        file = Path.GetFullPath(file);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"--file: {file} does not exist.", file);
        }

        var records = Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".jsonl" => ReadJsonLines(file),
            ".tsv" => ReadTsv(file),
            _ => throw new InvalidDataException($"{file}: unknown format; name the file .jsonl or .tsv (docs/training.md, \"Teacher\")."),
        };

        var pairs = plan.Pairs();
        var missing = pairs.Where(p => !records.Values.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{file}: {missing.Count} of the plan's {pairs.Count} pairs are missing, e.g. {string.Join(", ", missing.Take(Listed).Select(p => $"({p.QueryId}, {p.PassageId})"))}.");
        }

        var header = new TeacherStoreHeader
        {
            Kind = "import",
            Teacher = file,
            TeacherSha256 = TeacherHashes.File(file),
            Branch = plan.Branch.ToName(),
            PlanSha256 = TeacherHashes.PlanPairs(pairs),
            FeatureDim = records.FeatureDim,
            FeatureDtype = records.FeatureDim is null ? null : "float32",
            Count = pairs.Count,
        };

        // Write under a temporary stem, then move over any earlier merged store.
        Directory.CreateDirectory(teacherDirectory);
        const string temporary = TeacherStore.MergedStem + ".importing";
        File.Delete(Path.Combine(teacherDirectory, temporary + ".json"));
        File.Delete(Path.Combine(teacherDirectory, temporary + ".bin"));
        using (var writer = TeacherStoreWriter.Open(teacherDirectory, temporary, header, pairs))
        {
            foreach (var chunk in pairs.Chunk(ChunkRecords))
            {
                writer.Append([.. chunk.Select(p => (p.QueryId, p.PassageId, records.Values[p]))]);
            }
        }

        var target = Path.Combine(Path.GetFullPath(teacherDirectory), TeacherStore.MergedStem);
        File.Move(Path.Combine(teacherDirectory, temporary + ".bin"), target + ".bin", overwrite: true);
        File.Move(Path.Combine(teacherDirectory, temporary + ".json"), target + ".json", overwrite: true);
        return (target + ".json", pairs.Count, records.Values.Count - pairs.Count);
    }

    /// <summary>ln(p / (1 - p)) of p clamped to [1e-6, 1 - 1e-6].</summary>
    public static float ProbabilityToLogit(double p)
    {
        var clamped = Math.Clamp(p, MinProbability, 1 - MinProbability);
        return (float)Math.Log(clamped / (1 - clamped));
    }

    private static ImportedRecords ReadJsonLines(string file)
    {
        var values = new Dictionary<(string, string), TeacherOutput>();
        var lines = new Dictionary<(string, string), int>();
        int? featureDim = null;
        var number = 0;
        foreach (var line in ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            InvalidDataException Bad(string field, string what) => new($"{file}:{number}: field '{field}' {what}");
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{number}: not valid JSON: {e.Message}", e);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{file}:{number}: not a JSON object");
            }

            string? queryId = null, passageId = null;
            double? logit = null, probability = null;
            float[]? features = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                if (!seen.Add(property.Name))
                {
                    throw Bad(property.Name, "is given twice");
                }

                switch (property.Name)
                {
                    case "query_id":
                        queryId = value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } q ? q : throw Bad("query_id", "must be a non-empty string");
                        break;
                    case "passage_id":
                        passageId = value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } p ? p : throw Bad("passage_id", "must be a non-empty string");
                        break;
                    case "logit":
                        logit = value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var l) && double.IsFinite(l) && Math.Abs(l) <= float.MaxValue ? l : throw Bad("logit", "must be a finite number");
                        break;
                    case "yes_probability":
                        probability = value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var y) && y is >= 0 and <= 1 ? y : throw Bad("yes_probability", "must be a number from 0 to 1");
                        break;
                    case "features":
                        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                        {
                            throw Bad("features", "must be a non-empty array of numbers");
                        }

                        features = new float[value.GetArrayLength()];
                        var i = 0;
                        foreach (var element in value.EnumerateArray())
                        {
                            features[i] = element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var f) && double.IsFinite(f) && Math.Abs(f) <= float.MaxValue
                                ? (float)f
                                : throw Bad("features", string.Create(CultureInfo.InvariantCulture, $"value {i} must be a finite number"));
                            i++;
                        }

                        break;
                    default:
                        throw Bad(property.Name, "is not a field of the import format (query_id, passage_id, logit or yes_probability, features)");
                }
            }

            if (queryId is null)
            {
                throw Bad("query_id", "is missing");
            }

            if (passageId is null)
            {
                throw Bad("passage_id", "is missing");
            }

            if ((logit is null) == (probability is null))
            {
                throw Bad(logit is null ? "logit" : "yes_probability", logit is null ? "is missing (give logit or yes_probability)" : "is given with logit; give one of them");
            }

            var dim = features?.Length;
            if (number > 0 && lines.Count > 0 && dim != featureDim)
            {
                throw Bad("features", dim is null
                    ? $"is missing, but earlier lines have {featureDim} values"
                    : featureDim is null ? "is given, but earlier lines have none" : $"has {dim} values, but earlier lines have {featureDim}");
            }

            featureDim = dim;
            if (!lines.TryAdd((queryId, passageId), number))
            {
                throw new InvalidDataException($"{file}:{number}: the pair ({queryId}, {passageId}) was already given on line {lines[(queryId, passageId)]}");
            }

            values[(queryId, passageId)] = new TeacherOutput(logit is { } given ? (float)given : ProbabilityToLogit(probability!.Value), features);
        }

        return new ImportedRecords(values, featureDim);
    }

    private static ImportedRecords ReadTsv(string file)
    {
        var values = new Dictionary<(string, string), TeacherOutput>();
        var lines = new Dictionary<(string, string), int>();
        var number = 0;
        bool? probabilities = null;
        foreach (var line in ReadLines(file))
        {
            number++;
            var fields = line.Split('\t');
            if (probabilities is null)
            {
                probabilities = fields switch
                {
                    ["query-id", "passage-id", "logit"] => false,
                    ["query-id", "passage-id", "yes_probability"] => true,
                    _ => throw new InvalidDataException($"{file}:{number}: the header must be query-id, passage-id and logit or yes_probability, tab-separated"),
                };
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var column = probabilities.Value ? "yes_probability" : "logit";
            if (fields.Length != 3)
            {
                throw new InvalidDataException($"{file}:{number}: {fields.Length} fields where the header has 3 (query-id, passage-id, {column})");
            }

            foreach (var (name, value) in new[] { ("query-id", fields[0]), ("passage-id", fields[1]) })
            {
                if (value.Length == 0)
                {
                    throw new InvalidDataException($"{file}:{number}: field '{name}' is empty");
                }
            }

            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score) || Math.Abs(score) > float.MaxValue
                || (probabilities.Value && score is < 0 or > 1))
            {
                throw new InvalidDataException($"{file}:{number}: field '{column}' is '{fields[2]}', not {(probabilities.Value ? "a number from 0 to 1" : "a finite number")}");
            }

            if (!lines.TryAdd((fields[0], fields[1]), number))
            {
                throw new InvalidDataException($"{file}:{number}: the pair ({fields[0]}, {fields[1]}) was already given on line {lines[(fields[0], fields[1])]}");
            }

            values[(fields[0], fields[1])] = new TeacherOutput(probabilities.Value ? ProbabilityToLogit(score) : (float)score, null);
        }

        if (probabilities is null)
        {
            throw new InvalidDataException($"{file}: empty; it needs the header line query-id, passage-id, logit or yes_probability");
        }

        return new ImportedRecords(values, null);
    }

    // Lines split on "\n" (a "\r" before it dropped, a leading BOM skipped) and decoded one by one, so invalid UTF-8 is
    // refused with its own line number; a StreamReader decodes a whole buffer ahead and would blame an earlier line.
    private static IEnumerable<string> ReadLines(string file)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        using var stream = new BufferedStream(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read), 1 << 16);
        var bytes = new MemoryStream();
        var number = 0;
        while (true)
        {
            var next = stream.ReadByte();
            if (next >= 0 && next != '\n')
            {
                bytes.WriteByte((byte)next);
                continue;
            }

            if (next < 0 && bytes.Length == 0)
            {
                yield break;
            }

            number++;
            var line = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            if (number == 1 && line.StartsWith(Encoding.UTF8.Preamble))
            {
                line = line[Encoding.UTF8.Preamble.Length..];
            }

            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            string text;
            try
            {
                text = encoding.GetString(line);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{file}:{number}: not valid UTF-8");
            }

            bytes.SetLength(0);
            yield return text;
            if (next < 0)
            {
                yield break;
            }
        }
    }

    private sealed record ImportedRecords(Dictionary<(string, string), TeacherOutput> Values, int? FeatureDim);
}
