using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// A safetensors file opened for reading: the header is parsed and checked up front, the data is memory-mapped and
/// read one tensor at a time, so loading never holds more than the tensors asked for.
/// </summary>
/// <remarks>
/// Each read maps a view over just that tensor's bytes, copies them into the caller's buffer and unmaps the view
/// again: mapped pages count towards the process's resident set while mapped, so a mapping of the whole file kept
/// open during a load would double the peak. Thread safety: reads may run concurrently (each has its own view);
/// dispose only after the last read. The owner disposes.
/// </remarks>
internal sealed class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsFile(string path, MemoryMappedFile map, long dataOffset, long length, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        DataOffset = dataOffset;
        Length = length;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Where the data section starts: 8 + the header length.</summary>
    public long DataOffset { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The tensors in data order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and checks <paramref name="path"/> (see <see cref="SafetensorsHeader"/> for the checks).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or its header is invalid; the message names the file and the tensor.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are read on little-endian machines only.");
        }

        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: safetensors file not found", path);
        }

        SafetensorsHeader header;
        long length;
        long dataOffset;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            length = stream.Length;
            Span<byte> prefix = stackalloc byte[8];
            if (length < 8)
            {
                throw new InvalidDataException($"{path}: truncated: {length} bytes, fewer than the 8-byte header length");
            }

            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > SafetensorsHeader.MaxLength)
            {
                throw new InvalidDataException($"{path}: header length {headerLength} exceeds safetensors' limit of {SafetensorsHeader.MaxLength} bytes (not a safetensors file?)");
            }

            if ((long)headerLength > length - 8)
            {
                throw new InvalidDataException($"{path}: truncated: the header needs {headerLength} bytes after its 8-byte length but the file has {length - 8}");
            }

            var json = new byte[headerLength];
            stream.ReadExactly(json);
            dataOffset = 8 + (long)headerLength;
            header = SafetensorsHeader.Parse(path, json, length - dataOffset);
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        return new SafetensorsFile(path, map, dataOffset, length, header);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The file has no such tensor; the message names both.</exception>
    public SafetensorsTensorInfo Get(string name) =>
        _byName.TryGetValue(name, out var info) ? info : throw new InvalidDataException($"{Path}: tensor '{name}' is not in the file");

    /// <summary>
    /// Copies <paramref name="destination"/>.Length raw little-endian bytes of <paramref name="tensor"/>, starting
    /// <paramref name="offset"/> bytes into it, from the mapped file.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range runs past the tensor's bytes.</exception>
    public void ReadBytes(SafetensorsTensorInfo tensor, long offset, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (offset < 0 || offset + destination.Length > tensor.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Path}: tensor '{tensor.Name}': bytes {offset} to {offset + destination.Length} lie outside its {tensor.ByteLength} bytes.");
        }

        if (destination.IsEmpty)
        {
            return;
        }

        using var view = _map.CreateViewStream(DataOffset + tensor.Begin + offset, destination.Length, MemoryMappedFileAccess.Read);
        view.ReadExactly(destination);
    }

    /// <summary>Reads tensor <paramref name="name"/> as float32 values (converted exactly from F16 and BF16).</summary>
    /// <exception cref="InvalidDataException">No such tensor.</exception>
    public float[] ReadSingles(string name)
    {
        var tensor = Get(name);
        var values = new float[tensor.ElementCount];
        const int ChunkElements = 1 << 20;
        var buffer = new byte[Math.Min(values.Length, ChunkElements) * tensor.Dtype.Size()];
        for (var start = 0; start < values.Length; start += ChunkElements)
        {
            var count = Math.Min(ChunkElements, values.Length - start);
            var bytes = buffer.AsSpan(0, count * tensor.Dtype.Size());
            ReadBytes(tensor, (long)start * tensor.Dtype.Size(), bytes);
            FloatConversion.ToSingles(bytes, tensor.Dtype, values.AsSpan(start, count));
        }

        return values;
    }

    public void Dispose() => _map.Dispose();
}
