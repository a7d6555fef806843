using System.Text.Json;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// A parsed and checked safetensors header: the tensors in data order and the <c>__metadata__</c> strings.
/// </summary>
/// <remarks>
/// The format (huggingface/safetensors, docs "Format"): 8 bytes little-endian unsigned header length N, N bytes of
/// UTF-8 JSON (an object: <c>"__metadata__"</c> maps strings to strings, every other key is a tensor
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> with offsets relative to the byte after the header), then
/// the data. Writers may pad the JSON with trailing spaces. Checks, each failing with the file and tensor named:
/// 1. the JSON is an object and every entry has the three fields with the right types;
/// 2. the dtype is F32, F16 or BF16 (other safetensors dtypes are refused by name);
/// 3. <c>0 &lt;= begin &lt;= end</c>, and <c>end</c> lies inside the data section (else the file is truncated);
/// 4. <c>end - begin</c> equals the element count times the element size;
/// 5. no two tensors share a byte, and no key appears twice.
/// </remarks>
internal sealed class SafetensorsHeader
{
    /// <summary>safetensors' own limit on the header length (100 MB): a larger length means the file is not one.</summary>
    public const long MaxLength = 100_000_000;

    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors in the order of their data (by <see cref="SafetensorsTensorInfo.Begin"/>).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses <paramref name="json"/>, the header of the file at <paramref name="path"/> whose data section has <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The header breaks a rule of the remarks; the message names the file and the tensor.</exception>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            // Step 1.
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: the safetensors header is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException($"{path}: tensor '{property.Name}' appears twice in the header");
                }

                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                }
                else
                {
                    tensors.Add(ReadTensor(path, property.Name, property.Value, dataLength));
                }
            }

            // Step 5: sorted by start, each tensor must end before the next begins (empty tensors take no bytes).
            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (var i = 1; i < tensors.Count; i++)
            {
                var previous = tensors[i - 1];
                if (tensors[i].Begin < previous.End)
                {
                    throw new InvalidDataException($"{path}: tensors '{previous.Name}' and '{tensors[i].Name}' overlap in the data section");
                }
            }

            return new SafetensorsHeader(tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: __metadata__ must be an object of strings");
        }

        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}: __metadata__ entry '{entry.Name}' must be a string");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string path, string name, JsonElement value, long dataLength)
    {
        var where = $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: the entry is not a JSON object");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{where}: \"dtype\" is missing or not a string");
        }

        // Step 2.
        var dtypeName = dtypeElement.GetString();
        if (!SafetensorsDtypes.TryParseHeaderName(dtypeName, out var dtype))
        {
            throw new InvalidDataException($"{where}: dtype '{dtypeName}' is not supported (F32, F16 or BF16)");
        }

        var shape = ReadIntegers(value, "shape") ?? throw new InvalidDataException($"{where}: \"shape\" must be an array of non-negative integers");
        var offsets = ReadIntegers(value, "data_offsets");
        if (offsets is not { Length: 2 } || offsets[0] > offsets[1])
        {
            throw new InvalidDataException($"{where}: \"data_offsets\" must be [begin, end] with 0 <= begin <= end");
        }

        // Step 3.
        var (begin, end) = (offsets[0], offsets[1]);
        if (end > dataLength)
        {
            throw new InvalidDataException($"{where}: truncated: its data ends at byte {end} of the data section, which has {dataLength} bytes");
        }

        // Step 4.
        var elements = 1L;
        foreach (var dimension in shape)
        {
            elements = dimension == 0 ? 0 : elements > long.MaxValue / dimension ? -1 : elements * dimension;
            if (elements < 0)
            {
                throw new InvalidDataException($"{where}: shape {SafetensorsTensorInfo.FormatShape(shape)} is too large");
            }
        }

        if (elements > (long.MaxValue / dtype.Size()) || end - begin != elements * dtype.Size())
        {
            throw new InvalidDataException(
                $"{where}: data_offsets [{begin}, {end}] hold {end - begin} bytes but shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtype.HeaderName()} needs {elements * dtype.Size()}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[]? ReadIntegers(JsonElement value, string property)
    {
        if (!value.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
            {
                return null;
            }

            result[i++] = number;
        }

        return result;
    }
}
