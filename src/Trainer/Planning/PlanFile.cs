using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Model.Runtime;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Planning;

/// <summary>
/// <c>plan.json</c> (RunLayout.Plan): a <see cref="TrainingPlan"/> with the data it was made for (docs/training.md, "Plan").
/// </summary>
/// <remarks>
/// Format <c>rerank-plan</c>, version 1: <c>format, version, data {name, fingerprint}, branch, batch_size, hard_negatives,
/// seed, groupings, batches_per_grouping, statistics {...}, batches [[{query_id, positive, hard_negatives}, ...], ...],
/// heldout [{query_id, positive, hard_negatives}, ...]</c>; UTF-8, \n line ends, one planned query per line, no absolute
/// paths, so the same inputs give the same bytes. Written to a temporary file and moved into place.
/// </remarks>
internal static class PlanFile
{
    public const string Format = "rerank-plan";
    public const int Version = 1;

    public static void Write(string path, TrainingPlan plan, TrainingCorpus corpus, PlanStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(corpus);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" })
        {
            writer.WriteLine("{");
            writer.WriteLine($"  \"format\": {Quote(Format)},");
            writer.WriteLine($"  \"version\": {Number(Version)},");
            writer.WriteLine($"  \"data\": {{\"name\": {Quote(corpus.Name)}, \"fingerprint\": {Quote(TrainingCorpusFingerprint.Compute(corpus))}}},");
            writer.WriteLine($"  \"branch\": {Quote(plan.Branch.ToName())},");
            writer.WriteLine($"  \"batch_size\": {Number(plan.BatchSize)},");
            writer.WriteLine($"  \"hard_negatives\": {Number(plan.HardNegatives)},");
            writer.WriteLine($"  \"seed\": {Number(plan.Seed)},");
            writer.WriteLine($"  \"groupings\": {Number(plan.Batches.Count / plan.BatchesPerGrouping)},");
            writer.WriteLine($"  \"batches_per_grouping\": {Number(plan.BatchesPerGrouping)},");
            if (statistics is not null)
            {
                writer.WriteLine(
                    $"  \"statistics\": {{\"training_queries\": {Number(statistics.TrainingQueries)}, \"entries_per_grouping\": {Number(statistics.EntriesPerGrouping)}, "
                    + $"\"dropped_per_grouping\": [{string.Join(", ", statistics.DroppedPerGrouping.Select(Number))}], "
                    + $"\"queries_without_negatives\": {Number(statistics.QueriesWithoutNegatives)}, \"queries_with_repeated_negatives\": {Number(statistics.QueriesWithRepeatedNegatives)}, "
                    + $"\"heldout_without_negatives\": {Number(statistics.HeldOutWithoutNegatives)}}},");
            }

            writer.WriteLine("  \"batches\": [");
            for (var b = 0; b < plan.Batches.Count; b++)
            {
                writer.WriteLine("    [");
                WriteQueries(writer, plan.Batches[b].Queries, "      ");
                writer.WriteLine(b < plan.Batches.Count - 1 ? "    ]," : "    ]");
            }

            writer.WriteLine("  ],");
            writer.WriteLine("  \"heldout\": [");
            WriteQueries(writer, plan.HeldOut, "    ");
            writer.WriteLine("  ]");
            writer.WriteLine("}");
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads <paramref name="path"/> for <paramref name="corpus"/>. Refused, as an <see cref="InvalidDataException"/>
    /// naming the file and the field (<c>batches[3][5].positive</c>): another format or version, a plan made for other
    /// data (fingerprint, branch), unknown query or passage ids, a positive that is not the query's, a hard negative that
    /// is, a batch of the wrong size, a count of hard negatives other than K.
    /// </summary>
    public static TrainingPlan Read(string path, TrainingCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist; run rerank-train plan first.", path);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: invalid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            return new Reader(path, corpus).Plan(document.RootElement);
        }
    }

    private static void WriteQueries(StreamWriter writer, IReadOnlyList<PlannedQuery> queries, string indent)
    {
        for (var i = 0; i < queries.Count; i++)
        {
            var query = queries[i];
            writer.Write(indent);
            writer.Write($"{{\"query_id\": {Quote(query.QueryId)}, \"positive\": {Quote(query.Positive)}, \"hard_negatives\": [");
            writer.Write(string.Join(", ", query.HardNegatives.Select(Quote)));
            writer.WriteLine(i < queries.Count - 1 ? "]}," : "]}");
        }
    }

    private static string Quote(string value) => "\"" + JsonEncodedText.Encode(value).ToString() + "\"";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Reader(string path, TrainingCorpus corpus)
    {
        private readonly Dictionary<string, TrainingQuery> _train = corpus.Train.ToDictionary(q => q.QueryId, StringComparer.Ordinal);
        private readonly Dictionary<string, TrainingQuery> _heldOut = corpus.HeldOut.ToDictionary(q => q.QueryId, StringComparer.Ordinal);

        public TrainingPlan Plan(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("(root)", "expected a JSON object");
            }

            var format = String(root, "format", "format");
            if (format != Format)
            {
                throw Error("format", $"'{format}' is not '{Format}' (not a file rerank-train plan wrote)");
            }

            var version = Integer(root, "version", "version", 0);
            if (version != Version)
            {
                throw Error("version", $"{version}; this rerank-train reads version {Version}");
            }

            var data = Property(root, "data", "data", JsonValueKind.Object);
            var fingerprint = String(data, "fingerprint", "data.fingerprint");
            if (fingerprint != TrainingCorpusFingerprint.Compute(corpus))
            {
                throw Error("data.fingerprint", $"the plan was made for other data than {corpus.Source} (or another held-out choice); run rerank-train plan again");
            }

            var branchName = String(root, "branch", "branch");
            if (!StudentBranchNames.TryParse(branchName, out var branch) || branch != corpus.Branch)
            {
                throw Error("branch", $"'{branchName}' does not match the data's branch '{corpus.Branch.ToName()}'");
            }

            var batchSize = Integer(root, "batch_size", "batch_size", 2);
            var k = Integer(root, "hard_negatives", "hard_negatives", 1);
            var seed = Integer(root, "seed", "seed", int.MinValue);
            var groupings = Integer(root, "groupings", "groupings", 1);
            var perGrouping = Integer(root, "batches_per_grouping", "batches_per_grouping", 1);

            var batchesElement = Property(root, "batches", "batches", JsonValueKind.Array);
            if (batchesElement.GetArrayLength() != (long)groupings * perGrouping)
            {
                throw Error("batches", $"{batchesElement.GetArrayLength()} batches; groupings x batches_per_grouping = {(long)groupings * perGrouping}");
            }

            var batches = new List<PlannedBatch>();
            var b = 0;
            foreach (var batchElement in batchesElement.EnumerateArray())
            {
                var field = $"batches[{b}]";
                if (batchElement.ValueKind != JsonValueKind.Array || batchElement.GetArrayLength() != batchSize)
                {
                    throw Error(field, $"must be an array of batch_size = {batchSize} planned queries");
                }

                var queries = new List<PlannedQuery>();
                var i = 0;
                foreach (var element in batchElement.EnumerateArray())
                {
                    var query = Query(element, $"{field}[{i}]", _train, "training", k);
                    var first = queries.FindIndex(q => q.QueryId == query.QueryId);
                    if (first >= 0)
                    {
                        // In-batch losses would take the query's own positive, in its other row, as a negative.
                        throw Error($"{field}[{i}].query_id", $"'{query.QueryId}' is already in this batch ({field}[{first}])");
                    }

                    queries.Add(query);
                    i++;
                }

                batches.Add(new PlannedBatch(queries));
                b++;
            }

            var heldOut = new List<PlannedQuery>();
            var h = 0;
            foreach (var element in Property(root, "heldout", "heldout", JsonValueKind.Array).EnumerateArray())
            {
                var query = Query(element, $"heldout[{h}]", _heldOut, "held-out", k);
                var first = heldOut.FindIndex(q => q.QueryId == query.QueryId);
                if (first >= 0)
                {
                    throw Error($"heldout[{h}].query_id", $"'{query.QueryId}' is already held out (heldout[{first}])");
                }

                heldOut.Add(query);
                h++;
            }

            return new TrainingPlan
            {
                Branch = branch,
                BatchSize = batchSize,
                HardNegatives = k,
                Seed = seed,
                Batches = batches,
                BatchesPerGrouping = perGrouping,
                HeldOut = heldOut,
            };
        }

        private PlannedQuery Query(JsonElement element, string field, Dictionary<string, TrainingQuery> known, string role, int k)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(field, "expected a JSON object");
            }

            var queryId = String(element, "query_id", field + ".query_id");
            if (!known.TryGetValue(queryId, out var query))
            {
                throw Error(field + ".query_id", $"'{queryId}' is not a {role} query of the data");
            }

            var positive = String(element, "positive", field + ".positive");
            if (!query.Positives.Contains(positive, StringComparer.Ordinal))
            {
                throw Error(field + ".positive", $"'{positive}' is not a positive of query '{queryId}'");
            }

            var list = Property(element, "hard_negatives", field + ".hard_negatives", JsonValueKind.Array);
            if (list.GetArrayLength() != k)
            {
                throw Error(field + ".hard_negatives", $"{list.GetArrayLength()} negatives; hard_negatives = {k}");
            }

            var negatives = new List<string>(k);
            var n = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemField = $"{field}.hard_negatives[{n++}]";
                var id = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error(itemField, "must be a string");
                if (!corpus.Passages.ContainsKey(id))
                {
                    throw Error(itemField, $"'{id}' is not a passage of the data");
                }

                if (query.Positives.Contains(id, StringComparer.Ordinal))
                {
                    throw Error(itemField, $"'{id}' is a positive of query '{queryId}'");
                }

                negatives.Add(id);
            }

            return new PlannedQuery(queryId, positive, negatives);
        }

        private JsonElement Property(JsonElement parent, string name, string field, JsonValueKind kind) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == kind
                ? value
                : throw Error(field, $"is missing or not {(kind == JsonValueKind.Array ? "an array" : "an object")}");

        private string String(JsonElement parent, string name, string field) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Error(field, "is missing or not a string");

        private int Integer(JsonElement parent, string name, string field, int minimum) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number >= minimum ? number : throw Error(field, $"{number} is below {minimum}")
                : throw Error(field, "is missing or not an integer");

        private InvalidDataException Error(string field, string problem) => new($"{path}: field '{field}': {problem}.");
    }
}
