using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// Writes one teacher store or shard (<c>name.json</c> + <c>name.bin</c>) chunk by chunk, resumably: opening an existing
/// pair with the same header keeps its complete chunks (an incomplete last chunk is cut off) and reports how many records
/// are done; a different header is refused with the fields that differ. The owner disposes.
/// </summary>
internal sealed class TeacherStoreWriter : IDisposable
{
    private readonly FileStream _records;
    private (string QueryId, string PassageId)? _last;

    private TeacherStoreWriter(string headerPath, string recordsPath, TeacherStoreHeader header, FileStream records, int done, (string, string)? last)
    {
        HeaderPath = headerPath;
        RecordsPath = recordsPath;
        Header = header;
        _records = records;
        Done = done;
        _last = last;
    }

    public string HeaderPath { get; }

    public string RecordsPath { get; }

    public TeacherStoreHeader Header { get; }

    /// <summary>Records written so far (resumed ones included).</summary>
    public int Done { get; private set; }

    public bool IsComplete => Done == Header.Count;

    /// <summary>Opens or creates <paramref name="directory"/>/<paramref name="stem"/>.{json,bin} for <paramref name="header"/>.</summary>
    /// <param name="directory">The folder (created).</param>
    /// <param name="stem">The file name without extension.</param>
    /// <param name="header">What the file is for.</param>
    /// <param name="expectedKeys">The keys the file must hold, in order; the records already there must be their prefix.</param>
    /// <exception cref="InvalidDataException">An existing header differs, or the existing records are not the expected prefix; the message names the file and what differs.</exception>
    public static TeacherStoreWriter Open(string directory, string stem, TeacherStoreHeader header, IReadOnlyList<(string QueryId, string PassageId)> expectedKeys)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(expectedKeys);
        if (expectedKeys.Count != header.Count)
        {
            throw new ArgumentException($"The header counts {header.Count} records but {expectedKeys.Count} keys were given.", nameof(expectedKeys));
        }

        Directory.CreateDirectory(directory);
        var headerPath = Path.Combine(directory, stem + ".json");
        var recordsPath = Path.Combine(directory, stem + ".bin");
        if (File.Exists(headerPath))
        {
            var existing = TeacherStoreHeader.Read(headerPath);
            var differences = header.Differences(existing);
            if (differences.Count > 0)
            {
                throw new InvalidDataException($"{headerPath}: was written for other settings ({string.Join(", ", differences)} differ); delete {stem}.json and {stem}.bin to start over, or use another --out.");
            }
        }
        else
        {
            // A records file without its header is left over from nothing this build wrote: start afresh.
            File.Delete(recordsPath);
            header.Write(headerPath);
        }

        var done = 0;
        (string, string)? last = null;
        if (File.Exists(recordsPath))
        {
            var (entries, complete) = TeacherRecordFile.Scan(recordsPath, header);
            if (entries.Count > expectedKeys.Count)
            {
                throw new InvalidDataException($"{recordsPath}: holds {entries.Count} records, more than the {expectedKeys.Count} of its header.");
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].QueryId != expectedKeys[i].QueryId || entries[i].PassageId != expectedKeys[i].PassageId)
                {
                    throw new InvalidDataException($"{recordsPath}: record {i + 1} is ({entries[i].QueryId}, {entries[i].PassageId}) where the plan has ({expectedKeys[i].QueryId}, {expectedKeys[i].PassageId}); delete {stem}.json and {stem}.bin to start over.");
                }
            }

            done = entries.Count;
            last = done > 0 ? (entries[^1].QueryId, entries[^1].PassageId) : null;
            if (new FileInfo(recordsPath).Length > complete)
            {
                using var truncate = new FileStream(recordsPath, FileMode.Open, FileAccess.Write);
                truncate.SetLength(complete);
            }
        }

        var records = new FileStream(recordsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new TeacherStoreWriter(headerPath, recordsPath, header, records, done, last);
    }

    /// <summary>Appends one chunk and flushes it to disk; the records must continue the key order.</summary>
    /// <exception cref="ArgumentException">The records would exceed the header's count, or break the ascending key order.</exception>
    public void Append(IReadOnlyList<(string QueryId, string PassageId, TeacherOutput Output)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        if (Done + records.Count > Header.Count)
        {
            throw new ArgumentException($"{RecordsPath}: {Done} + {records.Count} records would exceed the header's {Header.Count}.", nameof(records));
        }

        foreach (var (queryId, passageId, _) in records)
        {
            if (_last is { } last && TrainingPlan.PairComparer.Instance.Compare(last, (queryId, passageId)) >= 0)
            {
                throw new ArgumentException($"{RecordsPath}: ({queryId}, {passageId}) does not come after ({last.QueryId}, {last.PassageId}); records are kept in ascending key order.", nameof(records));
            }

            _last = (queryId, passageId);
        }

        _records.Write(TeacherRecordFile.EncodeChunk(records, Header));
        _records.Flush(flushToDisk: true);
        Done += records.Count;
    }

    public void Dispose() => _records.Dispose();
}
