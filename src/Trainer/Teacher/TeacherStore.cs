using Microsoft.Win32.SafeHandles;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// A complete teacher store or shard, read: the header, every record's key and logit in memory, and the features read
/// from disk when asked for (a 7B teacher's y^T are 4,096 values a pair). Thread-safe for reading; the owner disposes.
/// </summary>
internal sealed class TeacherStore : ITeacherScores, IDisposable
{
    /// <summary>The merged store's file name without extension, in the run directory's <c>teacher/</c>.</summary>
    public const string MergedStem = "scores";

    private readonly Dictionary<(string, string), (float Logit, long Offset)> _index;
    private readonly SafeFileHandle _file;

    private TeacherStore(string headerPath, TeacherStoreHeader header, List<TeacherRecordFile.Entry> entries, SafeFileHandle file)
    {
        HeaderPath = headerPath;
        Header = header;
        Entries = entries;
        _file = file;
        _index = new Dictionary<(string, string), (float, long)>(entries.Count);
        foreach (var entry in entries)
        {
            _index[(entry.QueryId, entry.PassageId)] = (entry.Logit, entry.FeatureOffset);
        }
    }

    public string HeaderPath { get; }

    public TeacherStoreHeader Header { get; }

    /// <summary>The records in file order.</summary>
    internal IReadOnlyList<TeacherRecordFile.Entry> Entries { get; }

    public int Count => Entries.Count;

    public int? FeatureDim => Header.FeatureDim;

    /// <summary>Opens the merged store of a run directory's <c>teacher/</c> folder.</summary>
    /// <exception cref="FileNotFoundException">There is no merged store; the message says which command writes it.</exception>
    /// <exception cref="InvalidDataException">The store is incomplete, malformed or out of order; the message names the file.</exception>
    public static TeacherStore OpenMerged(string teacherDirectory)
    {
        var path = Path.Combine(teacherDirectory, MergedStem + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no merged teacher store; run rerank-train teacher (or teacher merge after sharded runs, or teacher import).", path);
        }

        return Open(path);
    }

    /// <summary>Opens the store whose header is <paramref name="headerPath"/> (records beside it, <c>.bin</c>); it must be complete.</summary>
    /// <exception cref="InvalidDataException">The store is incomplete, malformed, out of order or holds a key twice; the message names the file.</exception>
    public static TeacherStore Open(string headerPath)
    {
        headerPath = Path.GetFullPath(headerPath);
        var header = TeacherStoreHeader.Read(headerPath);
        var recordsPath = Path.ChangeExtension(headerPath, ".bin");
        var (entries, complete) = File.Exists(recordsPath) ? TeacherRecordFile.Scan(recordsPath, header) : ([], 0);
        var length = File.Exists(recordsPath) ? new FileInfo(recordsPath).Length : 0;
        if (entries.Count != header.Count || complete != length)
        {
            throw new InvalidDataException($"{recordsPath}: incomplete: {entries.Count} of {header.Count} records{(complete != length ? " and a chunk cut short" : "")}; rerun the same teacher command to finish it.");
        }

        for (var i = 1; i < entries.Count; i++)
        {
            if (Planning.TrainingPlan.PairComparer.Instance.Compare((entries[i - 1].QueryId, entries[i - 1].PassageId), (entries[i].QueryId, entries[i].PassageId)) >= 0)
            {
                throw new InvalidDataException($"{recordsPath}: record {i + 1} ({entries[i].QueryId}, {entries[i].PassageId}) is not after record {i} in key order (or repeats it).");
            }
        }

        var file = File.OpenHandle(recordsPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        return new TeacherStore(headerPath, header, entries, file);
    }

    public bool TryGet(string queryId, string passageId, out TeacherOutput output)
    {
        if (!_index.TryGetValue((queryId, passageId), out var found))
        {
            output = default;
            return false;
        }

        output = new TeacherOutput(found.Logit, Header.FeatureDim is null ? null : TeacherRecordFile.ReadFeatures(_file, found.Offset, Header));
        return true;
    }

    /// <summary>The teacher checkpoint or imported file with its hash, the prompt's source and the dtype: a trained student's provenance.</summary>
    public string Describe()
    {
        var prompt = Header.Prompt?["source"]?.ToString();
        return $"{Header.Kind} {Header.Teacher} (sha256 {Header.TeacherSha256})"
            + (prompt is null ? "" : $", prompt {prompt}")
            + (Header.Dtype is null ? "" : $", {Header.Dtype}")
            + $", {Header.Branch}, {Header.Count} pairs";
    }

    /// <summary>The raw record bytes of an entry's features (for merging without converting).</summary>
    internal float[]? Features(TeacherRecordFile.Entry entry) => Header.FeatureDim is null ? null : TeacherRecordFile.ReadFeatures(_file, entry.FeatureOffset, Header);

    public void Dispose() => _file.Dispose();
}
