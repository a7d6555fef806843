using System.Text.RegularExpressions;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// <c>teacher merge</c>: joins the shard files of one <c>teacher/</c> folder (<c>shard-I-of-N.json</c> + <c>.bin</c>) by
/// key into the merged store (<c>scores.json</c> + <c>.bin</c>), in the plan's pair order.
/// </summary>
/// <remarks>
/// Refused, naming the files or pairs: no shards; shards whose headers differ in anything but <c>shard</c> and
/// <c>count</c> (other teacher, prompt, plan, features, or another n); a header for another plan; an incomplete shard;
/// a pair in two shards (overlap); a plan pair in no shard (gap, with the missing shard files named); a shard pair that
/// is not in the plan. An existing merged store is replaced only after every check passed.
/// </remarks>
internal static partial class TeacherMerge
{
    private const int ChunkRecords = 1024;
    private const int Listed = 5;

    /// <returns>The merged store's header path and how many shards were joined.</returns>
    /// <exception cref="InvalidDataException">See the remarks.</exception>
    public static (string HeaderPath, int Shards) Merge(string teacherDirectory, IReadOnlyList<(string QueryId, string PassageId)> planPairs, string planSha256)
    {
        ArgumentNullException.ThrowIfNull(planPairs);
        teacherDirectory = Path.GetFullPath(teacherDirectory);
        var headerFiles = Directory.Exists(teacherDirectory)
            ? Directory.EnumerateFiles(teacherDirectory, "shard-*-of-*.json").Where(f => ShardName().IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (headerFiles.Count == 0)
        {
            throw new InvalidDataException($"{teacherDirectory}: no shard files (shard-I-of-N.json) to merge; run rerank-train teacher --shard i/n first.");
        }

        var stores = new List<TeacherStore>();
        try
        {
            foreach (var file in headerFiles)
            {
                var store = TeacherStore.Open(file);
                stores.Add(store);
                if (store.Header.Shard is not { } shard || shard.FileStem + ".json" != Path.GetFileName(file))
                {
                    throw new InvalidDataException($"{file}: its header says shard {store.Header.Shard?.ToString() ?? "none"}, not what its name says.");
                }
            }

            var first = stores[0];
            foreach (var store in stores.Skip(1))
            {
                var differences = first.Header.Differences(store.Header, "shard", "count");
                if (differences.Count > 0 || store.Header.Shard?.Count != first.Header.Shard?.Count)
                {
                    var fields = differences.Count > 0 ? differences : ["shard.count"];
                    throw new InvalidDataException($"{store.HeaderPath} and {first.HeaderPath} were written with different settings ({string.Join(", ", fields)} differ); every shard of a merge comes from one teacher, prompt, plan and n.");
                }
            }

            if (first.Header.PlanSha256 != planSha256)
            {
                throw new InvalidDataException($"{first.HeaderPath}: the shards were scored for another plan (plan_sha256 {first.Header.PlanSha256}, the plan's is {planSha256}).");
            }

            // Where each pair is; overlaps.
            var where = new Dictionary<(string, string), (TeacherStore Store, TeacherRecordFile.Entry Entry)>(planPairs.Count);
            foreach (var store in stores)
            {
                foreach (var entry in store.Entries)
                {
                    if (!where.TryAdd((entry.QueryId, entry.PassageId), (store, entry)))
                    {
                        throw new InvalidDataException($"overlap: the pair ({entry.QueryId}, {entry.PassageId}) is in both {Path.GetFileName(where[(entry.QueryId, entry.PassageId)].Store.HeaderPath)} and {Path.GetFileName(store.HeaderPath)} ({teacherDirectory}).");
                    }
                }
            }

            // Gaps, and pairs outside the plan.
            var missing = planPairs.Where(p => !where.ContainsKey(p)).ToList();
            if (missing.Count > 0)
            {
                var n = first.Header.Shard!.Count;
                var present = stores.Select(s => s.Header.Shard!.Index).ToHashSet();
                var absent = Enumerable.Range(0, n).Where(i => !present.Contains(i)).Select(i => new TeacherShard(i, n).FileStem + ".json").ToList();
                throw new InvalidDataException(
                    $"gap: {missing.Count} plan pair(s) are in no shard of {teacherDirectory}, e.g. {string.Join(", ", missing.Take(Listed).Select(p => $"({p.QueryId}, {p.PassageId})"))}"
                    + (absent.Count > 0 ? $"; missing shard files: {string.Join(", ", absent.Take(Listed))}" : "") + ".");
            }

            if (where.Count > planPairs.Count)
            {
                var plan = planPairs.ToHashSet();
                var extra = where.Where(p => !plan.Contains(p.Key)).Take(Listed).Select(p => $"({p.Key.Item1}, {p.Key.Item2}) in {Path.GetFileName(p.Value.Store.HeaderPath)}");
                throw new InvalidDataException($"{where.Count - planPairs.Count} shard pair(s) are not in the plan, e.g. {string.Join(", ", extra)}.");
            }

            // Every check passed: write to a temporary stem, then move over the merged store.
            var header = first.Header with { Shard = null, Count = planPairs.Count };
            const string temporary = TeacherStore.MergedStem + ".merging";
            File.Delete(Path.Combine(teacherDirectory, temporary + ".json"));
            File.Delete(Path.Combine(teacherDirectory, temporary + ".bin"));
            using (var writer = TeacherStoreWriter.Open(teacherDirectory, temporary, header, planPairs))
            {
                var chunk = new List<(string, string, TeacherOutput)>(ChunkRecords);
                foreach (var pair in planPairs)
                {
                    var (store, entry) = where[pair];
                    chunk.Add((pair.QueryId, pair.PassageId, new TeacherOutput(entry.Logit, store.Features(entry))));
                    if (chunk.Count == ChunkRecords)
                    {
                        writer.Append(chunk);
                        chunk.Clear();
                    }
                }

                writer.Append(chunk);
            }

            var target = Path.Combine(teacherDirectory, TeacherStore.MergedStem);
            File.Move(Path.Combine(teacherDirectory, temporary + ".bin"), target + ".bin", overwrite: true);
            File.Move(Path.Combine(teacherDirectory, temporary + ".json"), target + ".json", overwrite: true);
            return (target + ".json", stores.Count);
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [GeneratedRegex("^shard-(0|[1-9][0-9]*)-of-[1-9][0-9]*\\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardName();
}
